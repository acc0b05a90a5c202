package io.github.optkernels.examples.cluster;

import io.github.optkernels.cluster.ShardedOptimizer;
import io.github.optkernels.examples.speed.Gpt2Shapes;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.KernelOptimizer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One AdamW step over GPT-2 small's 148 tensors ({@link Gpt2Shapes}, two groups) in one process,
 * and the same step sharded across members in this JVM with one worker: median wall time per step
 * and the bytes a step moves. A figure of this machine, not of a network: members in one JVM talk
 * over TCP on 127.0.0.1 and share its cores and memory bus. Every step's parameters are checked
 * against the single-process step's, bit for bit.
 */
public final class ClusterSpeedCheck {
  public static final String USAGE = String.join("\n",
      "  cluster-speed [--steps N] [--scale D] [--members M] [--backups B] [--shard S]",
      "                                      time one AdamW step over GPT-2 small's shapes (124M",
      "                                      parameters; --scale D divides every tensor by D) in one",
      "                                      process and sharded across M members in this JVM (default 3,",
      "                                      one backup, shards of S = 1Mi elements); needs about -Xmx12g",
      "                                      at full size");

  private ClusterSpeedCheck() {}

  /** Options; defaults are the full model, 3 members, 1 backup, 5 timed steps. */
  public record Options(int steps, int scale, int members, int backups, int shardSize) {}

  public static Options parse(String[] args) {
    int steps = 5;
    int scale = 1;
    int members = 3;
    int backups = 1;
    int shard = 1 << 20;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      int value;
      try {
        value = Integer.parseInt(args[i + 1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(args[i] + " needs an integer, got '" + args[i + 1] + "'");
      }
      switch (args[i]) {
        case "--steps" -> steps = value;
        case "--scale" -> scale = value;
        case "--members" -> members = value;
        case "--backups" -> backups = value;
        case "--shard" -> shard = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (steps < 1 || scale < 1 || members < 1 || backups < 0 || backups >= members || shard < 1) {
      throw new IllegalArgumentException("need steps ≥ 1, scale ≥ 1, members ≥ 1, 0 ≤ backups < members, shard ≥ 1");
    }
    return new Options(steps, scale, members, backups, shard);
  }

  public static void run(Options o, PrintStream out) {
    List<Gpt2Shapes.Shape> shapes = o.scale() == 1 ? Gpt2Shapes.full() : Gpt2Shapes.scaled(o.scale());
    long elements = 0;
    for (Gpt2Shapes.Shape s : shapes) {
      elements += s.size();
    }
    Supplier<KernelOptimizer> factory = () -> {
      AdamW adamW = AdamW.builder().lr(6e-4).weightDecay(0.1).build();
      adamW.addGroup(adamW.hyperparameters().withWeightDecay(0));
      return adamW;
    };
    out.printf("AdamW step over %d tensors, %,d parameters (float32), %d timed steps after one warm-up%n",
        shapes.size(), elements, o.steps());
    out.printf("JVM: %s %s, %d processors, max heap %d MiB%n", System.getProperty("java.vm.name"),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);

    // single process: every step's parameters are kept to check the cluster's against
    float[][] params = initial(shapes);
    float[][] grads = new float[shapes.size()][];
    KernelOptimizer single = factory.get();
    for (int k = 0; k < shapes.size(); k++) {
      grads[k] = new float[shapes.get(k).size()];
      single.groups().get(shapes.get(k).decays() ? 0 : 1).add(params[k], grads[k]);
    }
    long[] singleNanos = new long[o.steps()];
    long[] checksums = new long[o.steps() + 1];
    for (int t = 0; t <= o.steps(); t++) {
      fill(grads, t);
      long start = System.nanoTime();
      single.step();
      if (t > 0) {
        singleNanos[t - 1] = System.nanoTime() - start;
      }
      checksums[t] = checksum(params);
    }
    single = null;
    params = null;
    System.gc();

    float[][] workerParams = initial(shapes);
    long[] clusterNanos = new long[o.steps()];
    long sent;
    long received;
    boolean identical = true;
    try (LocalMembers members = LocalMembers.start(o.members(), o.backups())) {
      ShardedOptimizer sharded = ShardedOptimizer.builder(members.get(0), "gpt2-speed", factory)
          .shardSize(o.shardSize()).build();
      for (int k = 0; k < shapes.size(); k++) {
        sharded.add(shapes.get(k).decays() ? 0 : 1, workerParams[k], grads[k]);
      }
      out.printf("%d members in this JVM, %d backup(s), %d shards of up to %,d elements%n", o.members(),
          o.backups(), sharded.shardCount(), o.shardSize());
      long sent0 = 0;
      long received0 = 0;
      for (int t = 0; t <= o.steps(); t++) {
        fill(grads, t);
        if (t == 1) {
          sent0 = sharded.gradientBytesSent();
          received0 = sharded.parameterBytesReceived();
        }
        long start = System.nanoTime();
        sharded.step();
        if (t > 0) {
          clusterNanos[t - 1] = System.nanoTime() - start;
        }
        identical &= checksum(workerParams) == checksums[t];
      }
      sent = (sharded.gradientBytesSent() - sent0) / o.steps();
      received = (sharded.parameterBytesReceived() - received0) / o.steps();
      sharded.destroy();
    }
    double singleMs = median(singleNanos) / 1e6;
    double clusterMs = median(clusterNanos) / 1e6;
    double remote = (o.members() - 1) / (double) o.members();
    out.printf("single process:  %10.1f ms per step (median)%n", singleMs);
    out.printf("sharded:         %10.1f ms per step (median), %.1f× the single-process step%n", clusterMs,
        clusterMs / singleMs);
    out.printf("bytes per step:  worker → owners %,d (gradients), owners → worker %,d (parameters),%n", sent,
        received);
    out.printf("                 owners → backups %,d (the gradients again: backups repeat the step);%n",
        sent * o.backups());
    out.printf("                 over the network, with the worker on one of %d members: ~%,d%n", o.members(),
        Math.round((sent + received) * remote + sent * o.backups()));
    out.printf("parameters after every step %s the single-process step's%n",
        identical ? "bit-identical to" : "DIFFERENT from");
    if (!identical) {
      throw new IllegalStateException("the sharded step differs from the single-process step");
    }
  }

  private static float[][] initial(List<Gpt2Shapes.Shape> shapes) {
    float[][] params = new float[shapes.size()][];
    for (int k = 0; k < shapes.size(); k++) {
      params[k] = new float[shapes.get(k).size()];
      SplittableRandom random = new SplittableRandom(k);
      for (int i = 0; i < params[k].length; i++) {
        params[k][i] = (float) (random.nextDouble() - 0.5) * 0.04f;
      }
    }
    return params;
  }

  private static void fill(float[][] grads, int step) {
    for (int k = 0; k < grads.length; k++) {
      SplittableRandom random = new SplittableRandom(step * 1000L + k);
      float[] g = grads[k];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) (random.nextDouble() - 0.5) * 1e-2f;
      }
    }
  }

  /** A checksum of every parameter's bits, to compare runs without keeping a copy. */
  private static long checksum(float[][] params) {
    long h = 1;
    for (float[] p : params) {
      for (float v : p) {
        h = h * 31 + Float.floatToRawIntBits(v);
      }
    }
    return h;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
