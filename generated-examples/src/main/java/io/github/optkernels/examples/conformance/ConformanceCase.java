package io.github.optkernels.examples.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One conformance case file ({@code conformance/cases/*.json}), parsed and validated: inputs,
 * hyperparameters, the float64 reference trajectory and the tolerances it is checked with. The
 * format is section 1 of the conformance README.
 *
 * <p>Immutable: every array accessor returns a fresh copy, so a runner cannot corrupt the case it
 * is checked against. Numbers are read as float64 with correct rounding (Jackson parses them with
 * {@link Double#parseDouble}), so the shortest-repr decimals of the file give back exactly the
 * doubles the generator wrote.
 */
public final class ConformanceCase {

  /** The ten variant names of the first release (README section 3), in the README's order. */
  public static final List<String> VARIANTS = List.of("adam", "adamw", "amsgrad", "radam",
      "radam_nosgd", "radamw_fully_decoupled", "nadam", "adabelief", "adabelief_adam",
      "adabelief_amsgrad");

  /** The seven variants added later (README section 3, "Later variants"), in the README's order. */
  public static final List<String> LATER_VARIANTS = List.of("lion", "adamax", "sgd_nesterov",
      "sgd_momentum", "adan", "lamb", "schedulefree_adamw");

  /**
   * Every variant a case file may name. A file is read whatever its variant; whether a generated
   * optimizer runs it is the runner's question, and one that does not is a named failure.
   */
  public static final List<String> ALL_VARIANTS = concat(VARIANTS, LATER_VARIANTS);

  /** The only {@link Property#kind() property kind} the README defines (section 6.3). */
  public static final String KAHAN_GAIN = "kahan_gain";

  /** A storage type named in a case file's {@code dtype} or {@code state_dtype}. */
  public enum Dtype {
    FLOAT64("float64"),
    FLOAT32("float32"),
    BFLOAT16("bfloat16"),
    FLOAT16("float16");

    private final String jsonName;

    Dtype(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The spelling used in case files, e.g. {@code "bfloat16"}. */
    public String jsonName() {
      return jsonName;
    }

    /** The dtype a case file spells {@code jsonName}, or null if it is none of the four. */
    static Dtype fromJsonName(String jsonName) {
      for (Dtype d : values()) {
        if (d.jsonName.equals(jsonName)) {
          return d;
        }
      }
      return null;
    }
  }

  /**
   * A case's optional pair property (README section 6.3). For {@code kahan_gain} the case passes
   * only if {@code max_err(baselineCase) >= minFactor · max_err(this case)}.
   *
   * @param kind the property's kind, e.g. {@link #KAHAN_GAIN}
   * @param baselineCase name of the case whose result this one is compared with
   * @param minFactor the required ratio of the two maximum errors
   */
  public record Property(String kind, String baselineCase, double minFactor) {}

  // Strict on the things a hand-edited file gets wrong: a repeated key would otherwise silently
  // keep the last value, and trailing text after the object would be ignored.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final String name;
  private final String variant;
  private final Dtype dtype;
  private final Dtype stateDtype;
  private final boolean kahan;
  private final Map<String, Double> hyper;
  private final double[] lrPerStep;
  private final int steps;
  private final int n;
  private final double[] p0;
  private final double[][] grads;
  private final double[][] expectedParams;
  private final Map<String, double[]> expectedState;
  private final Tolerance tolerance;
  private final Map<String, Tolerance> stateTolerance;
  private final Property property;

  private ConformanceCase(CaseFileReader r) {
    JsonNode root = r.root;
    this.name = r.string(root, "name");
    this.variant = r.string(root, "variant");
    if (!ALL_VARIANTS.contains(variant)) {
      throw r.malformed("variant", "\"" + variant + "\" is not one of " + ALL_VARIANTS);
    }
    this.dtype = r.dtype(root, "dtype");
    this.stateDtype = r.dtype(root, "state_dtype");
    this.kahan = r.bool(root, "kahan");
    this.hyper = r.hyper(root, requiredHyper(variant));
    this.steps = r.positiveInt(root, "steps");
    this.n = r.positiveInt(root, "N");
    this.lrPerStep = root.has("lr_per_step") ? r.vector(root.get("lr_per_step"), "lr_per_step", steps) : null;
    this.p0 = r.vector(r.field(root, "p0"), "p0", n);
    this.grads = r.matrix(r.field(root, "grads"), "grads", steps, n);

    JsonNode expected = r.object(root, "expected");
    this.expectedParams = r.matrix(r.field(expected, "params"), "expected.params", steps, n);
    Map<String, double[]> state = new LinkedHashMap<>();
    for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
      String stateName = names.next();
      if (!stateName.equals("params")) {
        state.put(stateName, r.vector(expected.get(stateName), "expected." + stateName, n));
      }
    }
    this.expectedState = Collections.unmodifiableMap(state);

    this.tolerance = r.tolerance(r.field(root, "tolerance"), "tolerance");
    Map<String, Tolerance> stateTol = new LinkedHashMap<>();
    if (root.has("state_tolerance")) {
      JsonNode st = r.object(root, "state_tolerance");
      for (Iterator<String> names = st.fieldNames(); names.hasNext(); ) {
        String stateName = names.next();
        stateTol.put(stateName, r.tolerance(st.get(stateName), "state_tolerance." + stateName));
      }
    }
    // check.py silently skips an expected state array without a tolerance; a case file like that
    // is a generator bug, and rejecting it here keeps such an array from going unchecked.
    for (String stateName : expectedState.keySet()) {
      if (!stateTol.containsKey(stateName)) {
        throw r.malformed("state_tolerance", "no tolerance for expected state \"" + stateName + "\"");
      }
    }
    this.stateTolerance = Collections.unmodifiableMap(stateTol);
    this.property = root.has("property") ? r.property(r.object(root, "property")) : null;
  }

  /**
   * Reads and validates one case file.
   *
   * @throws IOException if the file cannot be read or is not valid JSON (the message names the file)
   * @throws IllegalArgumentException if the JSON does not describe a case; the message names the
   *     file and the field
   */
  public static ConformanceCase read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object at the top level");
    }
    return new ConformanceCase(new CaseFileReader(file, root));
  }

  /**
   * Reads every {@code *.json} file of {@code dir} (not its subdirectories), sorted by case name.
   *
   * @throws IllegalArgumentException if two files hold cases with the same name, since a runner
   *     keyed by name would silently check only one of them
   */
  public static List<ConformanceCase> readAll(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
          .sorted()
          .toList();
    }
    List<ConformanceCase> cases = new ArrayList<>();
    Map<String, Path> fileByName = new HashMap<>();
    for (Path f : files) {
      ConformanceCase c = read(f);
      Path other = fileByName.putIfAbsent(c.name(), f);
      if (other != null) {
        throw new IllegalArgumentException("case name \"" + c.name() + "\" appears in both " + other + " and " + f);
      }
      cases.add(c);
    }
    cases.sort(Comparator.comparing(ConformanceCase::name));
    return List.copyOf(cases);
  }

  /** The case name, e.g. {@code adam__f64__n7_t100_default}. */
  public String name() {
    return name;
  }

  /** One of {@link #ALL_VARIANTS}. */
  public String variant() {
    return variant;
  }

  /** Storage type of parameters and gradients. */
  public Dtype dtype() {
    return dtype;
  }

  /** Storage type of every per-element state array. */
  public Dtype stateDtype() {
    return stateDtype;
  }

  /** Whether the parameter update is Kahan-compensated. */
  public boolean kahan() {
    return kahan;
  }

  /**
   * The {@code hyper} object, in file order: always {@code lr, beta1, beta2, eps, weight_decay},
   * plus {@code max_lr} or {@code momentum_decay} for the variants that use them.
   */
  public Map<String, Double> hyper() {
    return hyper;
  }

  /** The per-step learning rates (index {@code t − 1} for step {@code t}), or null if the case has none. */
  public double[] lrPerStep() {
    return lrPerStep == null ? null : lrPerStep.clone();
  }

  /** The number of steps T. */
  public int steps() {
    return steps;
  }

  /** The number of elements N. */
  public int n() {
    return n;
  }

  /** The initial parameters, length N. */
  public double[] p0() {
    return p0.clone();
  }

  /** All gradients, {@code [T][N]}; row {@code t − 1} is fed to step {@code t}. */
  public double[][] grads() {
    return deepCopy(grads);
  }

  /** The gradient of step {@code step} (1-based). */
  public double[] grad(int step) {
    return grads[stepIndex(step)].clone();
  }

  /** The reference parameters, {@code [T][N]}; row {@code t − 1} is the state after step {@code t}. */
  public double[][] expectedParams() {
    return deepCopy(expectedParams);
  }

  /** The final reference state arrays by state name, in file order (each of length N). */
  public Map<String, double[]> expectedState() {
    Map<String, double[]> copy = new LinkedHashMap<>();
    expectedState.forEach((k, v) -> copy.put(k, v.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /** The bound every parameter element must meet. */
  public Tolerance tolerance() {
    return tolerance;
  }

  /** The bound of each state array, by state name; covers at least every expected state array. */
  public Map<String, Tolerance> stateTolerance() {
    return stateTolerance;
  }

  /** The pair property (README section 6.3), or null when the case has none. */
  public Property property() {
    return property;
  }

  /**
   * The learning rate of step {@code step} (1-based): {@code lr_per_step[step − 1]} when the case
   * has a schedule, otherwise {@code hyper.lr}.
   */
  public double lr(int step) {
    int index = stepIndex(step);
    return lrPerStep != null ? lrPerStep[index] : hyper.get("lr");
  }

  @Override
  public String toString() {
    return name;
  }

  private int stepIndex(int step) {
    if (step < 1 || step > steps) {
      throw new IllegalArgumentException(name + ": step must be in [1, " + steps + "], got " + step);
    }
    return step - 1;
  }

  private static double[][] deepCopy(double[][] rows) {
    double[][] copy = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      copy[i] = rows[i].clone();
    }
    return copy;
  }

  /**
   * The hyperparameters every case of {@code variant} has (README section 1): SGD has a momentum
   * and a dampening instead of betas and ε, Lion has no ε; the rest have all five.
   */
  private static List<String> requiredHyper(String variant) {
    if (variant.startsWith("sgd_")) {
      return List.of("lr", "momentum", "dampening", "weight_decay");
    }
    if (variant.equals("lion")) {
      return List.of("lr", "beta1", "beta2", "weight_decay");
    }
    return List.of("lr", "beta1", "beta2", "eps", "weight_decay");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  /**
   * Field access on one parsed file, so that every complaint names the file and the field; a
   * runner that reports "expected 7 numbers" without saying where is no help with 148 files.
   */
  private static final class CaseFileReader {
    private final Path file;
    private final JsonNode root;

    CaseFileReader(Path file, JsonNode root) {
      this.file = file;
      this.root = root;
    }

    IllegalArgumentException malformed(String field, String problem) {
      return new IllegalArgumentException(file + ": field \"" + field + "\": " + problem);
    }

    JsonNode field(JsonNode parent, String field) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        throw malformed(field, "missing");
      }
      return node;
    }

    JsonNode object(JsonNode parent, String field) {
      JsonNode node = field(parent, field);
      if (!node.isObject()) {
        throw malformed(field, "expected an object, got " + node.getNodeType());
      }
      return node;
    }

    String string(JsonNode parent, String field) {
      JsonNode node = field(parent, field);
      if (!node.isTextual() || node.asText().isEmpty()) {
        throw malformed(field, "expected a non-empty string, got " + node);
      }
      return node.asText();
    }

    boolean bool(JsonNode parent, String field) {
      JsonNode node = field(parent, field);
      if (!node.isBoolean()) {
        throw malformed(field, "expected true or false, got " + node);
      }
      return node.booleanValue();
    }

    int positiveInt(JsonNode parent, String field) {
      JsonNode node = field(parent, field);
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
        throw malformed(field, "expected a positive integer, got " + node);
      }
      return node.intValue();
    }

    Dtype dtype(JsonNode parent, String field) {
      String text = string(parent, field);
      Dtype d = Dtype.fromJsonName(text);
      if (d == null) {
        throw malformed(field, "\"" + text + "\" is not one of float64, float32, bfloat16, float16");
      }
      return d;
    }

    /** A finite JSON number; {@code where} names it in messages (e.g. {@code grads[3][5]}). */
    double number(JsonNode node, String field, String where) {
      if (node == null || !node.isNumber()) {
        throw malformed(field, where + ": expected a number, got " + node);
      }
      double value = node.doubleValue();
      if (!Double.isFinite(value)) {
        throw malformed(field, where + ": " + node + " does not fit in a double");
      }
      return value;
    }

    double[] vector(JsonNode node, String field, int length) {
      return vector(node, field, field, length);
    }

    private double[] vector(JsonNode node, String field, String where, int length) {
      if (!node.isArray()) {
        throw malformed(field, where + ": expected an array of " + length + " numbers, got " + node.getNodeType());
      }
      if (node.size() != length) {
        throw malformed(field, where + ": expected " + length + " numbers, got " + node.size());
      }
      double[] values = new double[length];
      for (int i = 0; i < length; i++) {
        values[i] = number(node.get(i), field, where + "[" + i + "]");
      }
      return values;
    }

    double[][] matrix(JsonNode node, String field, int rows, int columns) {
      if (!node.isArray() || node.size() != rows) {
        throw malformed(field, "expected " + rows + " rows of " + columns + " numbers, got "
            + (node.isArray() ? node.size() + " rows" : node.getNodeType().toString()));
      }
      double[][] values = new double[rows][];
      for (int r = 0; r < rows; r++) {
        values[r] = vector(node.get(r), field, field + "[" + r + "]", columns);
      }
      return values;
    }

    Map<String, Double> hyper(JsonNode parent, List<String> required) {
      JsonNode node = object(parent, "hyper");
      Map<String, Double> values = new LinkedHashMap<>();
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        values.put(key, number(node.get(key), "hyper", key));
      }
      for (String key : required) {
        if (!values.containsKey(key)) {
          throw malformed("hyper", "missing \"" + key + "\"");
        }
      }
      return Collections.unmodifiableMap(values);
    }

    Tolerance tolerance(JsonNode node, String field) {
      if (!node.isObject()) {
        throw malformed(field, "expected {\"abs\": a, \"rel\": r}, got " + node.getNodeType());
      }
      double abs = number(node.get("abs"), field, "abs");
      double rel = number(node.get("rel"), field, "rel");
      try {
        return new Tolerance(abs, rel);
      } catch (IllegalArgumentException e) {
        throw malformed(field, e.getMessage());
      }
    }

    Property property(JsonNode node) {
      String kind = string(node, "kind");
      String baseline = string(node, "baseline_case");
      // 4.0 when absent, as check.py does, so both checkers agree on the same file.
      double minFactor = node.has("min_factor") ? number(node.get("min_factor"), "property", "min_factor") : 4.0;
      if (!(minFactor > 0)) {
        throw malformed("property", "min_factor must be > 0, got " + minFactor);
      }
      return new Property(kind, baseline, minFactor);
    }
  }
}
