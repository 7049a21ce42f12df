package bench.ceiling;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ceiling: the least an annotated handler can be, one argument and the answer
 * returned as it is.
 */
@RestController
@ConditionalOnProperty(name = "ceiling.handler", havingValue = "plain", matchIfMissing = true)
class PlainHandler {

	@GetMapping("/api/products/{id}")
	ResponseEntity<byte[]> product(@PathVariable String id) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(CeilingApplication.PRODUCT);
	}

}
