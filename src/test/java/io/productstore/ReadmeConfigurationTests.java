package io.productstore;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the README's configuration table lists every {@code app.*} key of the
 * configuration metadata (deprecated keys aside) (generated from the properties records
 * at compile time), with the default a user of the default profile gets: the record's
 * {@code @DefaultValue}, or the value {@code application.yml} sets for every profile.
 */
class ReadmeConfigurationTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(app\\.[a-z0-9.\\-\\[\\]]+)` \\| ([^|]*) \\|");

	private static final Pattern CODE = Pattern.compile("`([^`]*)`");

	@Test
	void listsEveryKeyOfTheMetadataWithItsDefault() throws IOException {
		Map<String, String> readme = readmeDefaults();
		Map<String, String> yaml = applicationYaml();
		List<String> problems = new ArrayList<>();
		metadataDefaults().forEach((key, metadataDefault) -> {
			if (!readme.containsKey(key)) {
				problems.add(key + " is missing from the README");
				return;
			}
			String documented = readme.get(key);
			if (hasStructuredValue(yaml, key)) {
				return;
			}
			String expected = yaml.containsKey(key) ? yaml.get(key) : listDefault(yaml, key, metadataDefault);
			if (!sameValue(expected, documented)) {
				problems.add(key + ": README says " + documented + ", the default is " + expected);
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void documentsNoKeyThatDoesNotExist() throws IOException {
		assertThat(readmeDefaults().keySet()).isSubsetOf(metadataDefaults().keySet());
	}

	/** Key to default (null: none) of every {@code app.*} property of the metadata. */
	private static Map<String, String> metadataDefaults() throws IOException {
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
		Map<String, String> defaults = new TreeMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			// A deprecated key is kept working (or explained) by its metadata, not the
			// table.
			if (name.startsWith("app.") && !property.has("deprecation") && !property.path("deprecated").asBoolean()) {
				JsonNode value = property.get("defaultValue");
				defaults.put(name, (value == null || value.isNull()) ? null : text(value));
			}
		}
		return defaults;
	}

	/** The processor writes a record's array default as {@code "[a, b]"}. */
	private static String text(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(",", items);
		}
		String text = value.asString();
		return (text.startsWith("[") && text.endsWith("]"))
				? String.join(",", text.substring(1, text.length() - 1).split(", ")) : text;
	}

	/** Key to the default cell's values (null for "none") of the README table. */
	private static Map<String, String> readmeDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("README.md"))) {
			Matcher row = ROW.matcher(line);
			if (row.find()) {
				defaults.put(row.group(1), defaultCell(row.group(2).trim()));
			}
		}
		return defaults;
	}

	/**
	 * The values before any parenthesised note such as {@code (prod: ...)}, joined with
	 * commas; null when the cell says there is none.
	 */
	private static String defaultCell(String cell) {
		int note = cell.indexOf(" (");
		String values = (note >= 0) ? cell.substring(0, note) : cell;
		List<String> codes = new ArrayList<>();
		Matcher code = CODE.matcher(values);
		while (code.find()) {
			codes.add(code.group(1));
		}
		return codes.isEmpty() ? null : String.join(",", codes);
	}

	/**
	 * Every property set by the documents of application.yml that apply to every profile.
	 */
	private static Map<String, String> applicationYaml() throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		for (PropertySource<?> document : new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yml"))) {
			EnumerablePropertySource<?> source = (EnumerablePropertySource<?>) document;
			if (source.containsProperty("spring.config.activate.on-profile")) {
				continue;
			}
			for (String name : source.getPropertyNames()) {
				values.put(name, String.valueOf(source.getProperty(name)));
			}
		}
		return values;
	}

	/** A list of objects (such as the users): documented in prose, not as one value. */
	private static boolean hasStructuredValue(Map<String, String> yaml, String key) {
		return yaml.keySet().stream().anyMatch((name) -> name.startsWith(key + "[0]."));
	}

	/**
	 * A list set in application.yml ({@code key[0]}, {@code key[1]}...), else the
	 * default.
	 */
	private static String listDefault(Map<String, String> yaml, String key, String metadataDefault) {
		List<String> items = new ArrayList<>();
		for (int i = 0; yaml.containsKey(key + "[" + i + "]"); i++) {
			items.add(yaml.get(key + "[" + i + "]"));
		}
		return items.isEmpty() ? metadataDefault : String.join(",", items);
	}

	private static boolean sameValue(String expected, String documented) {
		if (expected == null || documented == null) {
			return expected == documented;
		}
		if (expected.equalsIgnoreCase(documented)) {
			return true;
		}
		try {
			return new BigDecimal(expected).compareTo(new BigDecimal(documented)) == 0;
		}
		catch (NumberFormatException ex) {
			return expected.toLowerCase(Locale.ROOT).equals(documented.toLowerCase(Locale.ROOT));
		}
	}

}
