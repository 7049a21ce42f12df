package io.productstore.product;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import io.productstore.web.BodyReadErrors;
import io.productstore.web.InvalidField;
import io.productstore.web.ValidationErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.bson.types.ObjectId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Reads one import line exactly as {@code POST /api/products} reads its body: the same
 * JSON mapper (unknown fields and type coercions refused), the same Bean Validation
 * rules, the same error entries; a valid line becomes a product with its id chosen here,
 * so that its result can name it even if its batch fails.
 */
@Component
class ImportLineReader {

	private final ObjectReader reader;

	private final Validator validator;

	private final BulkImportProperties limits;

	private final Clock clock = Clock.systemUTC();

	ImportLineReader(JsonMapper json, Validator validator, BulkImportProperties limits) {
		this.limits = limits;
		// One JSON document per line: "{...} {...}" is malformed, not its first half.
		this.reader = json.readerFor(ProductRequest.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.validator = validator;
	}

	ParsedLine read(ImportLine line) {
		if (line.refusal() != null) {
			return refused(line);
		}
		ProductRequest request;
		try {
			request = this.reader.readValue(line.bytes());
		}
		catch (JacksonException ex) {
			BodyReadErrors.Explanation explanation = BodyReadErrors.explain(ex);
			return ParsedLine.rejected(ImportResult.invalid(line.number(), explanation.detail(), explanation.errors()));
		}
		if (request == null) {
			return ParsedLine
				.rejected(ImportResult.invalid(line.number(), "A line must be one JSON object", List.of()));
		}
		Set<ConstraintViolation<ProductRequest>> violations = this.validator.validate(request);
		if (!violations.isEmpty()) {
			List<InvalidField> errors = ValidationErrors.of(violations);
			return ParsedLine.rejected(ImportResult.invalid(line.number(), ValidationErrors.detail(errors), errors));
		}
		Product product = Product.create(request, this.clock.instant().truncatedTo(ChronoUnit.MILLIS))
			.withId(new ObjectId().toHexString());
		return new ParsedLine(line.number(), product, null, line.bytes().length, false);
	}

	private ParsedLine refused(ImportLine line) {
		String detail = switch (line.refusal()) {
			case LINE_TOO_LONG -> "The line is longer than the body of a single create may be";
			case TOO_MANY_LINES ->
				"An import has at most " + this.limits.maxLines() + " lines; this line and the rest were not read";
			case BODY_TOO_LARGE -> "An import body has at most " + this.limits.maxSize().toBytes()
					+ " bytes; this line and the rest were not read";
		};
		return new ParsedLine(line.number(), null, ImportResult.refused(line.number(), 413, detail), 0,
				line.refusal().endsImport());
	}

	/**
	 * A line read: a product to store, or the result that rejects it.
	 *
	 * @param number the line's number
	 * @param product the product to store, or null
	 * @param rejection the result of a line not stored, or null
	 * @param size the line's length in bytes
	 * @param last whether the import ends with this line (a limit was reached)
	 */
	record ParsedLine(int number, Product product, ImportResult rejection, int size, boolean last) {

		static ParsedLine rejected(ImportResult rejection) {
			return new ParsedLine(rejection.line(), null, rejection, 0, false);
		}

	}

}
