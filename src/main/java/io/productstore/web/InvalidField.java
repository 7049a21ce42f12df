package io.productstore.web;

/**
 * One entry of a problem's {@code errors} array: the JSON path of a request field (such
 * as {@code price} or {@code tags[2]}) and what is wrong with it.
 *
 * @param field the JSON property path of the offending field
 * @param message what is wrong with it
 */
public record InvalidField(String field, String message) {

}
