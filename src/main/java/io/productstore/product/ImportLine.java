package io.productstore.product;

/**
 * One line of an NDJSON import as the splitter hands it on: its bytes, or why it is not
 * read (too long, or past a limit of the whole import, which ends it).
 *
 * @param number the line's number in the body, from 1 (blank lines counted)
 * @param bytes the line without its line break, or null
 * @param refusal why it is not read, or null
 */
record ImportLine(int number, byte[] bytes, Refusal refusal) {

	static ImportLine of(int number, byte[] bytes) {
		return new ImportLine(number, bytes, null);
	}

	static ImportLine refused(int number, Refusal refusal) {
		return new ImportLine(number, null, refusal);
	}

	/** Why a line is not read. */
	enum Refusal {

		/** Longer than one create's body may be: this line is skipped. */
		LINE_TOO_LONG,

		/** One line more than an import may have: it and the rest are not read. */
		TOO_MANY_LINES,

		/** The body grew past the import's size limit: the rest is not read. */
		BODY_TOO_LARGE;

		boolean endsImport() {
			return this != LINE_TOO_LONG;
		}

	}

}
