/**
 * Who may call what: stateless HTTP Basic security with the users of
 * {@code app.security.users}, problem-detail answers for 401 and 403, and the one CORS
 * configuration.
 */
package io.productstore.security;
