package io.github.optkernels.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The handwritten-digits data the demo trains on: 1,797 images of 8×8 pixel counts (0..16) with
 * their digit 0..9. It is the test set of the UCI "Optical Recognition of Handwritten Digits"
 * data set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), shipped in the jar as {@code digits.csv.gz}
 * (64 pixel columns, then the class; no header).
 *
 * @param x {@code n × 64} pixels scaled to [0, 1], row-major
 * @param y the digit of each row
 */
record Digits(float[] x, int[] y) {
  static final int FEATURES = 64;
  static final int CLASSES = 10;
  private static final String RESOURCE = "digits.csv.gz";

  Digits {
    if (x.length != y.length * FEATURES) {
      throw new IllegalArgumentException(x.length + " pixels for " + y.length + " labels");
    }
  }

  int size() {
    return y.length;
  }

  /** The data shipped with the demo. */
  static Digits load() {
    try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new GZIPInputStream(in));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  static Digits parse(InputStream csv) throws IOException {
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.US_ASCII));
    String line;
    int lineNumber = 0;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",");
      if (cells.length != FEATURES + 1) {
        throw new IOException("line " + lineNumber + ": " + cells.length + " columns, expected "
            + (FEATURES + 1));
      }
      float[] row = new float[FEATURES];
      for (int i = 0; i < FEATURES; i++) {
        row[i] = Integer.parseInt(cells[i].trim()) / 16f;
      }
      int label = Integer.parseInt(cells[FEATURES].trim());
      if (label < 0 || label >= CLASSES) {
        throw new IOException("line " + lineNumber + ": class " + label);
      }
      rows.add(row);
      labels.add(label);
    }
    float[] x = new float[rows.size() * FEATURES];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, x, r * FEATURES, FEATURES);
    }
    return new Digits(x, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The rows {@code rows} of this data, in that order. */
  Digits select(int[] rows) {
    float[] sx = new float[rows.length * FEATURES];
    int[] sy = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * FEATURES, sx, i * FEATURES, FEATURES);
      sy[i] = y[rows[i]];
    }
    return new Digits(sx, sy);
  }

  /** A training set and a held-out set that no optimizer ever trains on. */
  record Split(Digits train, Digits heldOut) {}

  /**
   * A stratified split: within each class, a seeded shuffle, then the first
   * {@code round(fraction · class size)} rows are held out. Rows keep their file order within
   * each set.
   */
  Split split(double heldOutFraction, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] heldOut = new boolean[size()];
    for (int c = 0; c < CLASSES; c++) {
      int[] members = new int[size()];
      int count = 0;
      for (int r = 0; r < size(); r++) {
        if (y[r] == c) {
          members[count++] = r;
        }
      }
      members = Arrays.copyOf(members, count);
      shuffle(members, random);
      int take = (int) Math.round(heldOutFraction * count);
      for (int i = 0; i < take; i++) {
        heldOut[members[i]] = true;
      }
    }
    int[] trainRows = new int[size()];
    int[] heldOutRows = new int[size()];
    int nt = 0;
    int nh = 0;
    for (int r = 0; r < size(); r++) {
      if (heldOut[r]) {
        heldOutRows[nh++] = r;
      } else {
        trainRows[nt++] = r;
      }
    }
    return new Split(select(Arrays.copyOf(trainRows, nt)), select(Arrays.copyOf(heldOutRows, nh)));
  }

  /** Fisher-Yates with the given generator. */
  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
