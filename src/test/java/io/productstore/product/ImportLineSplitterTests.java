package io.productstore.product;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImportLineSplitter}.
 */
class ImportLineSplitterTests {

	private static final DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

	@Test
	void cutsLinesAcrossBuffersAndDropsCarriageReturns() {
		split(body("{\"a\":", "1}\r\n{\"b\"", ":2}\n"), 100, 1000, 10).as(StepVerifier::create)
			.assertNext((line) -> assertLine(line, 1, "{\"a\":1}"))
			.assertNext((line) -> assertLine(line, 2, "{\"b\":2}"))
			.verifyComplete();
	}

	@Test
	void countsBlankLinesWithoutHandingThemOnAndReadsALastLineWithoutLineBreak() {
		split(body("a\n\n  \r\nb"), 100, 1000, 10).as(StepVerifier::create)
			.assertNext((line) -> assertLine(line, 1, "a"))
			.assertNext((line) -> assertLine(line, 4, "b"))
			.verifyComplete();
	}

	@Test
	void refusesALineLongerThanTheLimitAndGoesOn() {
		split(body("12345\n123456", "7\nok\n"), 5, 1000, 10).as(StepVerifier::create)
			.assertNext((line) -> assertLine(line, 1, "12345"))
			.assertNext((line) -> assertThat(line.refusal()).isEqualTo(ImportLine.Refusal.LINE_TOO_LONG))
			.assertNext((line) -> assertLine(line, 3, "ok"))
			.verifyComplete();
	}

	@Test
	void endsWithTheFirstLinePastTheLineLimit() {
		split(body("a\nb\n\nc\nd\n"), 10, 1000, 2).as(StepVerifier::create)
			.assertNext((line) -> assertLine(line, 1, "a"))
			.assertNext((line) -> assertLine(line, 2, "b"))
			.assertNext((line) -> {
				assertThat(line.number()).isEqualTo(4);
				assertThat(line.refusal()).isEqualTo(ImportLine.Refusal.TOO_MANY_LINES);
			})
			.verifyComplete();
	}

	@Test
	void acceptsABodyOfExactlyTheSizeLimitAndEndsAtTheFirstByteBeyond() {
		split(body("ab\ncd\n"), 10, 6, 10).as(StepVerifier::create).expectNextCount(2).verifyComplete();
		split(body("ab\ncd\ne"), 10, 6, 10).as(StepVerifier::create).expectNextCount(2).assertNext((line) -> {
			assertThat(line.number()).isEqualTo(3);
			assertThat(line.refusal()).isEqualTo(ImportLine.Refusal.BODY_TOO_LARGE);
		}).verifyComplete();
	}

	@Test
	void releasesTheBuffersItReadAndThoseWaitingWhenALimitEndsTheImport() {
		NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
		List<NettyDataBuffer> sent = Stream.of("a\nb\nc\n", "d\n")
			.map((text) -> (NettyDataBuffer) netty.wrap(text.getBytes(StandardCharsets.UTF_8)))
			.toList();
		split(Flux.fromIterable(sent), 10, 1000, 1).as(StepVerifier::create).expectNextCount(2).verifyComplete();
		assertThat(sent).allSatisfy((buffer) -> assertThat(buffer.getNativeBuffer().refCnt()).isZero());
	}

	private static Flux<ImportLine> split(Flux<DataBuffer> body, int maxLine, long maxBytes, int maxLines) {
		return ImportLineSplitter.split(body, maxLine, maxBytes, maxLines);
	}

	private static Flux<DataBuffer> body(String... chunks) {
		return Flux.fromArray(chunks).map(ImportLineSplitterTests::buffer);
	}

	private static DataBuffer buffer(String text) {
		return buffers.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertLine(ImportLine line, int number, String text) {
		assertThat(line.number()).isEqualTo(number);
		assertThat(line.refusal()).isNull();
		assertThat(new String(line.bytes(), StandardCharsets.UTF_8)).isEqualTo(text);
	}

}
