package io.productstore.product;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records that list routes bind their query parameters to: data binding creates them
 * through their canonical constructor on every request and asks for each parameter's
 * annotations, which the JDK parses anew on each call. Their constructors are written out
 * so that the annotations stay on the fields and accessors, where validation and the API
 * docs read them; these tests keep it that way for every type that a controller of the
 * service binds with {@code @ModelAttribute}.
 */
class QueryParameterRecordsTests {

	private static final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

	/** The types that the service's controllers bind query parameters to. */
	static Stream<Class<?>> boundRecords() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
		return scanner.findCandidateComponents("io.productstore")
			.stream()
			.map((definition) -> ClassUtils.resolveClassName(definition.getBeanClassName(), null))
			.flatMap((controller) -> Arrays.stream(controller.getDeclaredMethods()))
			.flatMap((method) -> Arrays.stream(method.getParameters()))
			.filter((parameter) -> parameter.isAnnotationPresent(ModelAttribute.class))
			.<Class<?>>map(Parameter::getType)
			.distinct();
	}

	@Test
	void theBoundRecordsAreTheQueryAndTheFilter() {
		assertThat(boundRecords()).containsExactlyInAnyOrder(ProductQuery.class, ProductFilterParameters.class);
	}

	@ParameterizedTest
	@MethodSource("boundRecords")
	void constructorParametersCarryNoAnnotations(Class<?> type) {
		Constructor<?> canonical = canonicalConstructor(type);
		assertThat(Arrays.stream(canonical.getParameterAnnotations()).flatMap(Arrays::stream))
			.as("annotations on the parameters of %s's canonical constructor", type.getSimpleName())
			.isEmpty();
	}

	@ParameterizedTest
	@MethodSource("boundRecords")
	void componentsKeepTheirConstraintsAndDocs(Class<?> type) throws NoSuchFieldException {
		List<String> annotated = Arrays.stream(type.getRecordComponents())
			.filter((component) -> component.getAccessor().getAnnotations().length > 0)
			.map((component) -> component.getName())
			.toList();
		assertThat(annotated).contains("category", "tag", "minPrice", "maxPrice", "q");
		for (String name : List.of("category", "minPrice")) {
			assertThat(type.getDeclaredField(name).getAnnotations()).as(name).isNotEmpty();
		}
	}

	@Test
	void theQueryIsStillValidatedAndDefaulted() {
		ProductQuery query = new ProductQuery("x".repeat(101), List.of("y".repeat(51)), null, null, null, null, null,
				List.of("price", "desc", "nope"), null, 0);
		Set<ConstraintViolation<ProductQuery>> violations = validator.validate(query);
		assertThat(violations).extracting((violation) -> violation.getPropertyPath().toString())
			.contains("category", "tag[0].<list element>", "sort[1].<list element>", "size");
		assertThat(query.page()).isZero();
		assertThat(query.sort()).containsExactly("price,desc", "nope");
		assertThat(new ProductQuery(null, null, null, null, null, null, null, null, null, null).size())
			.isEqualTo(ProductQuery.DEFAULT_SIZE);
	}

	private static Constructor<?> canonicalConstructor(Class<?> type) {
		Class<?>[] components = Arrays.stream(type.getRecordComponents())
			.map((component) -> component.getType())
			.toArray(Class<?>[]::new);
		try {
			return type.getDeclaredConstructor(components);
		}
		catch (NoSuchMethodException ex) {
			throw new AssertionError(ex);
		}
	}

}
