package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong();

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void runAPart(Progress progress) {
    progress.start("[1/2] mlp", 100);
    for (int i = 1; i <= 100; i++) {
      clock.addAndGet(10_000_000); // 10 ms per unit: a redraw every 10 units
      progress.advance(1, "epoch " + i);
      if (i == 50) {
        progress.note("halfway");
      }
    }
    progress.finish();
    progress.note("result line");
  }

  @Test
  void withoutATerminalItWritesPlainLines() {
    runAPart(new Progress(out, false, 80, clock::get));
    String text = output();
    assertThat(text).doesNotContain("\r");
    assertThat(text).doesNotContain("\u001b");
    assertThat(text.lines().toList()).containsExactly(
        "[1/2] mlp ...",
        "[1/2] mlp 25%  epoch 25",
        "[1/2] mlp 50%  epoch 50",
        "halfway",
        "[1/2] mlp 75%  epoch 75",
        "result line").inOrder();
  }

  @Test
  void onATerminalItRedrawsOneLineAtMostTenTimesASecond() {
    runAPart(new Progress(out, true, 60, clock::get));
    String text = output();
    List<String> draws = List.of(text.split("\r"));
    long bars = draws.stream().filter(s -> s.startsWith("[1/2] mlp [")).count();
    assertThat(bars).isAtLeast(10);
    assertThat(bars).isAtMost(14); // start, one per 100 ms, the redraw after the note, the end
    assertThat(text).contains("[1/2] mlp [############------------]  50%  epoch 50");
    assertThat(text).contains("halfway\n");
    assertThat(text).endsWith("result line\n");
    for (String draw : draws) {
      assertThat(draw.replace("\n", "").length()).isAtMost(59); // never wraps
    }
  }

  @Test
  void aDumbOrRedirectedOutputIsNotATerminal() {
    // Under Maven Surefire standard output is a pipe, never a terminal.
    assertThat(Progress.stdoutIsTerminal()).isFalse();
  }
}
