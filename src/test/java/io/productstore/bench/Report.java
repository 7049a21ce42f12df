package io.productstore.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.productstore.bench.InvalidationScenario.Latency;
import io.productstore.bench.StampedeScenario.Measure;

/**
 * Prints the results of both scenarios as aligned text tables, then as Markdown tables
 * with Mermaid charts ready for {@code docs/benchmarks.md}.
 */
final class Report {

	private final StringBuilder out = new StringBuilder();

	String text(List<StampedeScenario.Row> stampede, List<InvalidationScenario.Row> invalidation) {
		line("Origin reads for N concurrent cold requests (median of rounds; engine worst round in brackets)");
		line("%6s %-5s %4s | %14s %11s | %12s %11s | %8s", "N", "read", "inst", "engine reads", "engine ms",
				"aside reads", "aside ms", "ratio");
		for (StampedeScenario.Row row : stampede) {
			line("%6d %-5s %4d | %14s %11.1f | %12d %11.1f | %7.0fx", row.requests(), row.kind().label(),
					row.instances(), reads(row.engine()), row.engine().medianWallMillis(),
					row.cacheAside().medianReads(), row.cacheAside().medianWallMillis(), row.readsRatio());
		}
		line("");
		line("Write latency, ms (engine: written() = item replace + generation INCR;"
				+ " pattern: SET item + SCAN MATCH list:* COUNT 1000 + UNLINK)");
		line("%6s | %7s %7s %7s %7s | %7s %7s %7s %7s %8s | %7s", "pages", "eng p50", "p99", "mean", "max", "pat p50",
				"p99", "mean", "max", "del/wr", "ratio");
		for (InvalidationScenario.Row row : invalidation) {
			Latency e = row.engine();
			Latency p = row.patternDelete();
			line("%6d | %7.3f %7.3f %7.3f %7.3f | %7.3f %7.3f %7.3f %7.3f %8.0f | %8.1fx %9.1fx", row.pages(), e.p50(),
					e.p99(), e.mean(), e.max(), p.p50(), p.p99(), p.mean(), p.max(), row.deletedPerWrite(),
					row.p50Ratio(), row.meanRatio());
		}
		return flush();
	}

	String markdown(List<StampedeScenario.Row> stampede, List<InvalidationScenario.Row> invalidation) {
		line("| N cold requests | read | instances | engine origin reads | engine wall ms "
				+ "| cache-aside origin reads | cache-aside wall ms | origin reads ratio |");
		line("|---:|---|---:|---:|---:|---:|---:|---:|");
		for (StampedeScenario.Row row : stampede) {
			line("| %d | %s | %d | %s | %.1f | %d | %.1f | %.0fx |", row.requests(), row.kind().label(),
					row.instances(), reads(row.engine()), row.engine().medianWallMillis(),
					row.cacheAside().medianReads(), row.cacheAside().medianWallMillis(), row.readsRatio());
		}
		line("");
		line("| cached list pages | engine p50 ms | engine p99 ms | engine mean ms | SCAN+UNLINK p50 ms "
				+ "| SCAN+UNLINK p99 ms | SCAN+UNLINK mean ms | pages deleted per write | p50 ratio | mean ratio |");
		line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (InvalidationScenario.Row row : invalidation) {
			Latency e = row.engine();
			Latency p = row.patternDelete();
			line("| %,d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %,.0f | %.1fx | %.1fx |", row.pages(), e.p50(),
					e.p99(), e.mean(), p.p50(), p.p99(), p.mean(), row.deletedPerWrite(), row.p50Ratio(),
					row.meanRatio());
		}
		line("");
		List<StampedeScenario.Row> shared = stampede.stream().filter((row) -> row.instances() == 2).toList();
		line("```mermaid");
		line("xychart-beta");
		line("    title \"Origin reads, N concurrent cold reads on 2 instances (bars: cache-aside, line: engine)\"");
		line("    x-axis [%s]", join(shared, (row) -> "\"" + row.kind().label() + " " + row.requests() + "\""));
		line("    y-axis \"origin reads\"");
		line("    bar [%s]", join(shared, (row) -> String.valueOf(row.cacheAside().medianReads())));
		line("    line [%s]", join(shared, (row) -> String.valueOf(row.engine().medianReads())));
		line("```");
		line("");
		line("```mermaid");
		line("xychart-beta");
		line("    title \"Mean write latency, ms (bars: SCAN+UNLINK, line: engine)\"");
		line("    x-axis [%s]", join(invalidation, (row) -> "\"" + row.pages() + " pages\""));
		line("    y-axis \"ms per write\"");
		line("    bar [%s]", join(invalidation, (row) -> format("%.2f", row.patternDelete().mean())));
		line("    line [%s]", join(invalidation, (row) -> format("%.3f", row.engine().mean())));
		line("```");
		return flush();
	}

	private static String reads(Measure measure) {
		return (measure.maxReads() == measure.medianReads()) ? String.valueOf(measure.medianReads())
				: measure.medianReads() + " (" + measure.maxReads() + ")";
	}

	private static <T> String join(List<T> rows, java.util.function.Function<T, String> value) {
		return rows.stream().map(value).collect(Collectors.joining(", "));
	}

	private void line(String format, Object... args) {
		this.out.append(format(format, args)).append('\n');
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	private String flush() {
		String text = this.out.toString();
		this.out.setLength(0);
		return text;
	}

}
