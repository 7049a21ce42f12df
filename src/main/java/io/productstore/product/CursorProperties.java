package io.productstore.product;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The key that signs paging cursors, under {@code app.cursor}: every instance must share
 * it, so that a cursor issued by one is honoured by all and after restarts.
 *
 * @param signingKey the HMAC-SHA256 key, at least 32 characters; the default profile sets
 * a development key in {@code application.yml}, {@code prod} none, so that a production
 * instance refuses to start until one is configured ({@code APP_CURSOR_SIGNING_KEY})
 */
@ConfigurationProperties("app.cursor")
@Validated
record CursorProperties(
		@NotBlank(message = "must be set (APP_CURSOR_SIGNING_KEY): paging cursors are signed with it") @Size(min = 32,
				message = "must be at least 32 characters") String signingKey) {

	/** Never prints the key: properties end up in logs and failure analyses. */
	@Override
	public String toString() {
		return "CursorProperties[signingKey=(secret)]";
	}

}
