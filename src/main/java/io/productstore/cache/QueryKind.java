package io.productstore.cache;

/**
 * The kinds of query results the cache keeps, each with its own key space and TTL.
 */
public enum QueryKind {

	/** A page of a filtered list. */
	LIST,

	/** The number of entities matching a filter. */
	COUNT

}
