package io.productstore.product;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.productstore.web.InvalidField;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One line of the answer to a bulk import: the input line it is about and what became of
 * it, as a single create would have answered (201 with the id, 400 with the invalid
 * fields, 413 for a line longer than a create's body may be, 503 when MongoDB failed); a
 * last line with 413 or 503 and no id says the import stopped there.
 *
 * @param line the input line's number, from 1 (blank lines are counted, not answered)
 * @param status the status a single create would have had
 * @param id the stored product's id (for 503: the id it has if it was stored)
 * @param detail what went wrong
 * @param errors the invalid fields, for 400
 */
@Schema(name = "ImportResult", description = "What became of one line of a bulk import")
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportResult(@Schema(example = "1") int line, @Schema(example = "201") int status,
		@Schema(example = "665f1c2ab4e0c81f6a3d9e21") String id, String detail, List<InvalidField> errors) {

	static ImportResult created(int line, String id) {
		return new ImportResult(line, 201, id, null, null);
	}

	static ImportResult invalid(int line, String detail, List<InvalidField> errors) {
		return new ImportResult(line, 400, null, detail, errors.isEmpty() ? null : errors);
	}

	static ImportResult refused(int line, int status, String detail) {
		return new ImportResult(line, status, null, detail, null);
	}

	static ImportResult notStored(int line, String id, String detail) {
		return new ImportResult(line, 503, id, detail, null);
	}

}
