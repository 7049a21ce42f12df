package io.productstore.web;

import java.net.URI;
import java.util.List;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.productstore.logging.RequestLogging;
import jakarta.validation.ConstraintViolationException;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every exception raised while handling a request into an RFC 9457 problem
 * ({@code application/problem+json}), with an {@code errors} array for invalid fields.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return invalidFields(ex, ValidationErrors.of(ex.getBindingResult()), headers, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return invalidFields(ex, ValidationErrors.of(ex), headers, exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> handleConstraintViolation(ConstraintViolationException ex,
			ServerWebExchange exchange) {
		return invalidFields(ex, ValidationErrors.of(ex.getConstraintViolations()), null, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		BodyReadErrors.Explanation explanation = BodyReadErrors.explain(ex);
		if (explanation == null) {
			return super.handleServerWebInputException(ex, headers, status, exchange);
		}
		ProblemDetail problem = problem(status, explanation.type(), explanation.detail());
		if (!explanation.errors().isEmpty()) {
			problem.setProperty("errors", explanation.errors());
		}
		return handleExceptionInternal(ex, problem, headers, status, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		if (ex instanceof NoResourceFoundException) {
			// The default detail speaks of "static resources"; this is an API.
			String detail = "No endpoint " + exchange.getRequest().getMethod() + " "
					+ exchange.getRequest().getPath().value();
			return handleExceptionInternal(ex, problem(status, null, detail), headers, status, exchange);
		}
		return super.handleResponseStatusException(ex, headers, status, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleServerErrorException(ServerErrorException ex, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		return handleUnexpected(ex, exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> handleOptimisticLocking(OptimisticLockingFailureException ex,
			ServerWebExchange exchange) {
		return respond(ex, HttpStatus.CONFLICT, ProblemTypes.CONCURRENT_UPDATE,
				"A concurrent update lost the optimistic-lock race; read the resource again and retry", exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> handleDuplicateKey(DuplicateKeyException ex, ServerWebExchange exchange) {
		return respond(ex, HttpStatus.CONFLICT, null, "A resource with the same unique key already exists", exchange);
	}

	/**
	 * A header or parameter the firewall refuses, read by a handler through the
	 * firewalled request (a rejection before the handler is answered by the security
	 * chain).
	 */
	@ExceptionHandler
	Mono<ResponseEntity<Object>> handleRejected(ServerExchangeRejectedException ex, ServerWebExchange exchange) {
		return handleExceptionInternal(ex, RejectedRequests.problem(), null, HttpStatus.BAD_REQUEST, exchange);
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, MongoTimeoutException.class,
			MongoSocketException.class })
	Mono<ResponseEntity<Object>> handleDatabaseUnavailable(Exception ex, ServerWebExchange exchange) {
		RequestLogging.log(exchange, () -> this.logger.warn(exchange.getLogPrefix() + "Database unavailable: " + ex));
		return respond(ex, HttpStatus.SERVICE_UNAVAILABLE, null,
				"The database is temporarily unreachable; nothing was changed, retry later", exchange);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
		if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			// The client went away mid-request: nobody reads the answer, and the
			// service did nothing wrong. An ERROR with a stack trace per dropped
			// connection is noise; the answer stays what it was (the server timer counts
			// it as before).
			RequestLogging.log(exchange, () -> this.logger
				.debug(exchange.getLogPrefix() + "Client went away during " + request + ": " + ex));
		}
		else {
			RequestLogging.log(exchange,
					() -> this.logger.error(exchange.getLogPrefix() + "Unexpected error on " + request, ex));
		}
		return respond(ex, HttpStatus.INTERNAL_SERVER_ERROR, null, "An unexpected error occurred; it has been logged",
				exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			ServerWebExchange exchange) {
		if (body instanceof ProblemDetail problem) {
			ProblemTypes.complete(problem, exchange);
		}
		return super.createResponseEntity(body, headers, status, exchange);
	}

	private Mono<ResponseEntity<Object>> invalidFields(Exception ex, List<InvalidField> errors, HttpHeaders headers,
			ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION,
				ValidationErrors.detail(errors));
		problem.setTitle("Validation failed");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
	}

	private Mono<ResponseEntity<Object>> respond(Exception ex, HttpStatus status, URI type, String detail,
			ServerWebExchange exchange) {
		return handleExceptionInternal(ex, problem(status, type, detail), null, status, exchange);
	}

	private static ProblemDetail problem(HttpStatusCode status, URI type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (type != null) {
			problem.setType(type);
		}
		return problem;
	}

}
