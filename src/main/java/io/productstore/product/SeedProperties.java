package io.productstore.product;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample catalogue loaded on first start so that Swagger UI shows real data.
 *
 * @param enabled whether to load it when the collection is empty (default profile: yes;
 * {@code prod}: no)
 * @param products how many sample products to create
 */
@ConfigurationProperties("app.seed")
record SeedProperties(@DefaultValue("false") boolean enabled, @DefaultValue("300") int products) {

}
