package io.productstore.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed, as IP addresses or CIDR
 * ranges ({@code 10.0.0.0/8}, {@code fd00::/8}); never resolves a host name.
 */
final class TrustedProxies {

	private static final Pattern IPV4 = Pattern
		.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private final List<Range> ranges;

	TrustedProxies(List<String> specifications) {
		this.ranges = specifications.stream().map(Range::parse).toList();
	}

	boolean contains(InetAddress address) {
		for (Range range : this.ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Parse an IP literal, never a host name: anything else (a name, a port, a zone) is
	 * empty, so that a forged header cannot make the service look a name up.
	 * @param text the text, such as {@code 203.0.113.7} or {@code [2001:db8::1]}
	 * @return the address, or empty
	 */
	static Optional<InetAddress> parseLiteral(String text) {
		String literal = text.trim();
		if (literal.startsWith("[") && literal.endsWith("]")) {
			literal = literal.substring(1, literal.length() - 1);
		}
		if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
			return Optional.empty();
		}
		try {
			// A literal of this shape is parsed, never looked up.
			return Optional.of(InetAddress.getByName(literal));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

	/**
	 * One address or CIDR range.
	 *
	 * @param network the network address
	 * @param prefixLength the number of leading bits that must match
	 */
	record Range(byte[] network, int prefixLength) {

		static Range parse(String specification) {
			int slash = specification.indexOf('/');
			String address = (slash < 0) ? specification : specification.substring(0, slash);
			byte[] bytes = parseLiteral(address)
				.orElseThrow(() -> new IllegalArgumentException(
						"app.ratelimit.trusted-proxies: '" + specification + "' is not an IP address or CIDR range"))
				.getAddress();
			int prefix = (slash < 0) ? bytes.length * 8 : Integer.parseInt(specification.substring(slash + 1).trim());
			if (prefix < 0 || prefix > bytes.length * 8) {
				throw new IllegalArgumentException(
						"app.ratelimit.trusted-proxies: '" + specification + "' has an invalid prefix length");
			}
			return new Range(bytes, prefix);
		}

		boolean contains(InetAddress address) {
			byte[] candidate = address.getAddress();
			if (candidate.length != this.network.length) {
				return false;
			}
			int fullBytes = this.prefixLength / 8;
			for (int i = 0; i < fullBytes; i++) {
				if (candidate[i] != this.network[i]) {
					return false;
				}
			}
			int remainingBits = this.prefixLength % 8;
			if (remainingBits == 0) {
				return true;
			}
			int mask = (0xFF << (8 - remainingBits)) & 0xFF;
			return (candidate[fullBytes] & mask) == (this.network[fullBytes] & mask);
		}

	}

}
