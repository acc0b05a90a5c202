package io.github.optkernels.examples.docs;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under docs/ as a newcomer meets them: a README short enough to read in
 * a few minutes that leads to every page, and no link that goes nowhere. Links to web sites are
 * not followed (tests run offline); every relative link must name an existing file, and a
 * {@code #fragment} must name a heading of the page it points to.
 */
class DocumentationTest {
  /** The repository root, seen from this module (surefire runs in the module's directory). */
  private static final Path ROOT = Path.of("..");
  private static final Path README = ROOT.resolve("README.md");
  private static final Path DOCS = ROOT.resolve("docs");

  /** Five minutes of reading; the details live in docs/. */
  private static final int README_MAX_LINES = 250;

  /** {@code [text](target)} and {@code ![alt](target)}; the target ends at a space or ')'. */
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  @Test
  void theReadmeIsShort() throws IOException {
    assertWithMessage("README.md lines; move details to a page under docs/")
        .that(Files.readAllLines(README, StandardCharsets.UTF_8).size())
        .isAtMost(README_MAX_LINES);
  }

  @Test
  void theReadmeLinksEveryPageUnderDocs() throws IOException {
    Set<Path> linked = new HashSet<>();
    for (String target : links(README)) {
      Path file = README.getParent().resolve(pathPart(target)).normalize();
      linked.add(file);
    }
    for (Path page : pages()) {
      assertWithMessage("README.md links %s", page).that(linked).contains(page.normalize());
    }
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<Path> files = new ArrayList<>(pages());
    files.add(README);
    List<String> broken = new ArrayList<>();
    for (Path file : files) {
      for (String target : links(file)) {
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto: — not followed offline
        }
        String path = pathPart(target);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
          broken.add(file + ": " + target + " (no such file)");
          continue;
        }
        int hash = target.indexOf('#');
        if (hash >= 0 && !headingSlugs(resolved).contains(target.substring(hash + 1))) {
          broken.add(file + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  /** The Markdown pages under docs/. */
  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(DOCS)) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
    }
  }

  /** Link targets outside fenced code blocks (code may hold brackets and parentheses). */
  private static List<String> links(Path file) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.stripLeading().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (!inFence) {
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          targets.add(m.group(1));
        }
      }
    }
    return targets;
  }

  private static String pathPart(String target) {
    int hash = target.indexOf('#');
    return hash < 0 ? target : target.substring(0, hash);
  }

  /**
   * The anchors GitHub gives a page's headings: lower case, punctuation dropped (letters, digits,
   * spaces, '-' and '_' stay), spaces to '-'. A repeated heading gets "-1", "-2", ....
   */
  private static Set<String> headingSlugs(Path file) throws IOException {
    Set<String> slugs = new HashSet<>();
    if (!file.toString().endsWith(".md")) {
      return slugs;
    }
    boolean inFence = false;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.stripLeading().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (!inFence && m.matches()) {
        String slug = m.group(1).toLowerCase(Locale.ROOT)
            .replaceAll("[^\\p{L}\\p{N} _-]", "")
            .replace(' ', '-');
        String unique = slug;
        for (int n = 1; !slugs.add(unique); n++) {
          unique = slug + "-" + n;
        }
      }
    }
    return slugs;
  }
}
