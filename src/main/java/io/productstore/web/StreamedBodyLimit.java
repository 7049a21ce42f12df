package io.productstore.web;

import org.springframework.util.unit.DataSize;

/**
 * A route that reads its body as a stream, never whole, and so may accept more than
 * {@code spring.codec.max-in-memory-size}: {@link ContentLengthLimitFilter} refuses a
 * declared length above this limit instead; the route cuts off undeclared lengths itself.
 * Declared as a bean by the feature that owns the route.
 *
 * @param path the exact request path
 * @param maxSize the largest body it accepts
 */
public record StreamedBodyLimit(String path, DataSize maxSize) {

}
