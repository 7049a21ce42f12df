package io.productstore.product;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

/**
 * A MongoDB ObjectId written as 24 hexadecimal characters.
 */
@Documented
@Pattern(regexp = "[0-9a-fA-F]{24}")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ ElementType.PARAMETER, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@interface ProductId {

	String message() default "must be a product id of 24 hexadecimal characters";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
