package io.github.optkernels.examples.conformance;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an implementation produced for one case: the parameters after every step and, optionally,
 * the final state arrays. This is the in-memory form of the README's result file
 * {@code {"params": [[N] x T], "<state name>": [N], ...}}.
 *
 * <p>The shape is deliberately not validated against any case here: producing the wrong number
 * of rows or elements is a conformance failure that {@link CaseCheck} reports, not a programming
 * error of the runner.
 *
 * <p><b>Non-finite values.</b> JSON has no NaN or Infinity. {@link #write} writes a non-finite
 * element as {@code null}, which keeps the file valid JSON and still fails: {@link #read} turns
 * {@code null} back into NaN, which {@link Tolerance#accepts} never accepts, and the README's
 * {@code check.py} rejects {@code null} as "not a number". (Writing some large finite stand-in
 * instead could, with a loose tolerance, turn a diverged run into a pass.)
 */
public final class CaseResult {

  /** The key of the parameter trajectory; no state array may use it. */
  public static final String PARAMS = "params";

  // The fast writer is Jackson's Schubfach implementation: the shortest decimal that reads back
  // to the same double, like Python's repr. JDK 17's Double.toString is not always the shortest
  // (JDK-4511638, fixed in JDK 19), so the fast writer is what gives files identical in spirit to
  // the case files, and exact on reading back.
  private static final JsonFactory JSON_OUT = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private static final ObjectMapper JSON_IN = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final double[][] params;
  private final Map<String, double[]> state;

  /**
   * @param params the parameters after each step, {@code params[t − 1]} after step {@code t}
   *     (copied)
   * @param state final state arrays by name, in the order to write them (copied; may be empty)
   */
  public CaseResult(double[][] params, Map<String, double[]> state) {
    if (params == null) {
      throw new IllegalArgumentException("params must not be null");
    }
    this.params = new double[params.length][];
    for (int s = 0; s < params.length; s++) {
      if (params[s] == null) {
        throw new IllegalArgumentException("params row " + s + " (step " + (s + 1) + ") is null");
      }
      this.params[s] = params[s].clone();
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    state.forEach((name, values) -> {
      if (name.equals(PARAMS)) {
        throw new IllegalArgumentException("\"params\" is not a state name");
      }
      if (values == null) {
        throw new IllegalArgumentException("state \"" + name + "\" is null");
      }
      copy.put(name, values.clone());
    });
    this.state = Collections.unmodifiableMap(copy);
  }

  /** The parameters after each step (a copy); row {@code t − 1} after step {@code t}. */
  public double[][] params() {
    double[][] copy = new double[params.length][];
    for (int s = 0; s < params.length; s++) {
      copy[s] = params[s].clone();
    }
    return copy;
  }

  /** The final state arrays by name (copies), in the order given. */
  public Map<String, double[]> state() {
    Map<String, double[]> copy = new LinkedHashMap<>();
    state.forEach((name, values) -> copy.put(name, values.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Writes the result file: {@code {"params": [[...], ...], "<state>": [...], ...}}, every finite
   * number as the shortest decimal that reads back to the same double, every non-finite one as
   * {@code null} (see the class comment). Overwrites {@code file}; its directory must exist.
   */
  public void write(Path file) throws IOException {
    try (JsonGenerator out = JSON_OUT.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      out.writeStartObject();
      out.writeFieldName(PARAMS);
      out.writeStartArray();
      for (double[] row : params) {
        writeArray(out, row);
      }
      out.writeEndArray();
      for (Map.Entry<String, double[]> e : state.entrySet()) {
        out.writeFieldName(e.getKey());
        writeArray(out, e.getValue());
      }
      out.writeEndObject();
      out.writeRaw('\n');
    }
  }

  private static void writeArray(JsonGenerator out, double[] values) throws IOException {
    out.writeStartArray();
    for (double x : values) {
      if (Double.isFinite(x)) {
        out.writeNumber(x);
      } else {
        out.writeNull();
      }
    }
    out.writeEndArray();
  }

  /**
   * Reads a result file written by {@link #write} (or by any other implementation following the
   * README). {@code null} elements become NaN, so they fail the check rather than the read.
   *
   * @throws IOException if the file cannot be read or is not valid JSON
   * @throws IllegalArgumentException if it is not a result object; the message names the file
   *     and the field
   */
  public static CaseResult read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON_IN.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object at the top level");
    }
    JsonNode rows = root.get(PARAMS);
    if (rows == null || !rows.isArray()) {
      throw new IllegalArgumentException(file + ": field \"params\": expected an array of rows");
    }
    double[][] params = new double[rows.size()][];
    for (int s = 0; s < rows.size(); s++) {
      params[s] = numbers(file, rows.get(s), "params[" + s + "]");
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(PARAMS)) {
        state.put(name, numbers(file, root.get(name), name));
      }
    }
    return new CaseResult(params, state);
  }

  private static double[] numbers(Path file, JsonNode array, String field) {
    if (!array.isArray()) {
      throw new IllegalArgumentException(file + ": field \"" + field + "\": expected an array, got "
          + array.getNodeType());
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode x = array.get(i);
      if (x.isNull()) {
        values[i] = Double.NaN;
      } else if (x.isNumber()) {
        values[i] = x.doubleValue();
      } else {
        throw new IllegalArgumentException(file + ": field \"" + field + "\"[" + i + "]: expected a number or null, got " + x);
      }
    }
    return values;
  }
}
