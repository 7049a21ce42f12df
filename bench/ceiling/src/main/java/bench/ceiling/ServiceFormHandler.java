package bench.ceiling;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The same answer from a handler of the service's form ({@code ProductController.find}):
 * the same four arguments and a {@code Mono} of the response entity. Spring resolves each
 * argument anew on every request (it makes a new {@code InvocableHandlerMethod} per
 * request, with an empty resolver cache) and reads the nested generic return type anew,
 * so the form has a cost of its own, which this tells.
 */
@RestController
@ConditionalOnProperty(name = "ceiling.handler", havingValue = "service-form")
class ServiceFormHandler {

	@GetMapping("/api/products/{id}")
	Mono<ResponseEntity<byte[]>> product(@PathVariable String id, @RequestParam(required = false) String fields,
			@RequestHeader HttpHeaders headers, ServerWebExchange exchange) {
		return Mono.just(ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(CeilingApplication.PRODUCT));
	}

}
