/**
 * The product resource: document, repository, service, controller and request/response
 * records.
 */
package io.productstore.product;
