package io.productstore;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Tests for the package structure of the main code (docs/architecture.md): features see
 * only the cache's top-level API, the cache's levels depend on each other in one
 * direction, no packages form a cycle, and only {@code embedded/} touches the embedded
 * servers.
 */
class ArchitectureTests {

	private static final String[] CACHE_INTERNALS = { "io.productstore.cache.redis..", "io.productstore.cache.near..",
			"io.productstore.cache.outage..", "io.productstore.cache.admin..", "io.productstore.cache.changes.." };

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.productstore");

	@Test
	void featuresUseOnlyTheTopLevelApiOfTheCache() {
		noClasses().that()
			.resideOutsideOfPackage("io.productstore.cache..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(CACHE_INTERNALS)
			.because("the sub-packages of the cache are its internals")
			.check(classes);
	}

	@Test
	void theRedisLevelKnowsNothingOfOutagesMemoryOrAdministration() {
		noClasses().that()
			.resideInAPackage("io.productstore.cache.redis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.productstore.cache.near..", "io.productstore.cache.outage..",
					"io.productstore.cache.admin..")
			.check(classes);
	}

	@Test
	void theCacheKnowsNothingOfItsFeatures() {
		noClasses().that()
			.resideInAPackage("io.productstore.cache..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.productstore.product..")
			.check(classes);
	}

	@Test
	void topLevelPackagesAreFreeOfCycles() {
		slices().matching("io.productstore.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void theCacheSubsystemsAreFreeOfCycles() {
		slices().matching("io.productstore.cache.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void onlyTheEmbeddedPackageTouchesTheEmbeddedServers() {
		noClasses().that()
			.resideOutsideOfPackage("io.productstore.embedded..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.productstore.embedded..", "de.bwaldvogel..", "redis.embedded..")
			.because("the embedded servers are a feature of the default profile only")
			.check(classes);
	}

}
