package io.github.optkernels.examples.demo;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * The demo's progress display. On a terminal, one line redrawn in place (at most ten times a
 * second): {@code [3/4] mlp [############------------]  50%  Adam fp32 epoch 12/30}. Anywhere else (a
 * pipe, a file, a CI log) it degrades to plain lines: one when a part starts, one at each quarter
 * of it, and the notes the demo prints, with no carriage returns or escape codes.
 *
 * <p>Our own rather than a library: the demo needs one bar at a time, and a library such as
 * me.tongfei:progressbar brings JLine into the runnable jar for terminal detection that
 * {@code Console.isTerminal()} (JDK 22+) or {@code System.console() != null} (JDK 17-21) already
 * gives. Safe to call from several threads. ASCII only, as the console may not be UTF-8.
 */
final class Progress {
  private static final int BAR_WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean interactive;
  private final int lineWidth;
  private final LongSupplier nanoClock;

  private String label = "";
  private long total = 1;
  private long done;
  private String detail = "";
  private long lastDraw = Long.MIN_VALUE;
  private int lastQuarter;
  private boolean barShown;

  Progress(PrintStream out, boolean interactive, int lineWidth, LongSupplier nanoClock) {
    this.out = out;
    this.interactive = interactive;
    this.lineWidth = Math.max(40, lineWidth);
    this.nanoClock = nanoClock;
  }

  /** A progress display on {@code out}, redrawn in place only when standard output is a terminal. */
  static Progress forStandardOutput(PrintStream out) {
    return new Progress(out, stdoutIsTerminal(), terminalColumns(), System::nanoTime);
  }

  /**
   * Whether standard output is an interactive terminal. On JDK 22+ {@code System.console()} is
   * non-null even when output is redirected, so {@code Console.isTerminal()} (called reflectively:
   * the code is compiled for JDK 17) decides there. {@code TERM=dumb} (e.g. Emacs shells) counts
   * as not a terminal.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17-21: a console exists only when both stdin and stdout are terminals
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static int terminalColumns() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** Whether this display redraws a line in place. */
  boolean interactive() {
    return interactive;
  }

  /** Starts a new part of {@code total} units of work; ends any bar still showing. */
  synchronized void start(String label, long total) {
    clearBar();
    this.label = label;
    this.total = Math.max(1, total);
    this.done = 0;
    this.detail = "";
    this.lastQuarter = 0;
    this.lastDraw = Long.MIN_VALUE;
    if (interactive) {
      draw(true);
    } else {
      out.println(label + " ...");
    }
  }

  /** Records {@code units} more work done, with a short description of what is running now. */
  synchronized void advance(long units, String detail) {
    done = Math.min(total, done + units);
    this.detail = detail;
    if (interactive) {
      draw(done == total);
      return;
    }
    int quarter = (int) (4 * done / total);
    if (quarter > lastQuarter && quarter < 4) {
      lastQuarter = quarter;
      out.println(label + " " + (25 * quarter) + "%" + (detail.isEmpty() ? "" : "  " + detail));
    }
  }

  /** Prints a line of results (above the bar, on a terminal). */
  synchronized void note(String line) {
    clearBar();
    out.println(line);
    if (interactive && done < total) {
      draw(true);
    }
  }

  /** Ends the current part: the bar's line is cleared and the cursor is at the start of a line. */
  synchronized void finish() {
    clearBar();
    out.flush();
  }

  private void draw(boolean force) {
    long now = nanoClock.getAsLong();
    if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    int filled = (int) (BAR_WIDTH * done / total);
    StringBuilder line = new StringBuilder(lineWidth);
    line.append(label).append(" [");
    for (int i = 0; i < BAR_WIDTH; i++) {
      line.append(i < filled ? '#' : '-');
    }
    line.append("] ").append(String.format("%3d%%", 100 * done / total));
    if (!detail.isEmpty()) {
      line.append("  ").append(detail);
    }
    int max = lineWidth - 1; // never let the line wrap, or \r would redraw only its last row
    if (line.length() > max) {
      line.setLength(max);
    }
    while (line.length() < max) {
      line.append(' ');
    }
    out.print('\r');
    out.print(line);
    out.flush();
    barShown = true;
  }

  private void clearBar() {
    if (barShown) {
      out.print('\r');
      out.print(" ".repeat(lineWidth - 1));
      out.print('\r');
      barShown = false;
    }
  }
}
