package io.productstore.product;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records that list routes bind their query parameters to: data binding creates them
 * through their canonical constructor on every request and asks for each parameter's
 * annotations, which the JDK parses anew on each call. Their constructors are written out
 * so that the annotations stay on the fields and accessors, where validation and the API
 * docs read them; these tests keep it that way.
 */
class QueryParameterRecordsTests {

	private static final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

	@ParameterizedTest
	@ValueSource(classes = { ProductQuery.class, ProductFilterParameters.class })
	void constructorParametersCarryNoAnnotations(Class<?> type) {
		Constructor<?> canonical = canonicalConstructor(type);
		assertThat(Arrays.stream(canonical.getParameterAnnotations()).flatMap(Arrays::stream))
			.as("annotations on the parameters of %s's canonical constructor", type.getSimpleName())
			.isEmpty();
	}

	@ParameterizedTest
	@ValueSource(classes = { ProductQuery.class, ProductFilterParameters.class })
	void componentsKeepTheirConstraintsAndDocs(Class<?> type) {
		List<String> annotated = Arrays.stream(type.getRecordComponents())
			.filter((component) -> component.getAccessor().getAnnotations().length > 0)
			.map((component) -> component.getName())
			.toList();
		assertThat(annotated).contains("category", "tag", "minPrice", "maxPrice", "q");
		Stream.of("category", "minPrice").forEach((name) -> {
			try {
				Annotation[] onField = type.getDeclaredField(name).getAnnotations();
				assertThat(onField).as(name).isNotEmpty();
			}
			catch (NoSuchFieldException ex) {
				throw new AssertionError(ex);
			}
		});
	}

	@org.junit.jupiter.api.Test
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
