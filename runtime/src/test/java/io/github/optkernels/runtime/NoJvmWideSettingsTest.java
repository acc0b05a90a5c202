package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * A library changes nothing JVM-wide: loading and initialising every class of the runtime, in a
 * JVM with {@code jdk.incubator.vector} (where the 16-bit conversions choose the Vector API),
 * leaves the JIT's compiler directives, the JVM's writeable flags and the system properties as
 * they were. Run in a child JVM of its own, so that no other test has initialised the runtime
 * first.
 */
class NoJvmWideSettingsTest {
  @Test
  void loadingTheRuntimeWithTheVectorApiChangesNoJvmWideSetting() throws Exception {
    String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(launcher, "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), LoadEverything.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor(), output);
    // the Vector API path is the one that used to install a compiler directive
    assertTrue(output.contains("the Vector API"), output);
  }

  /** The child: the JVM-wide settings, then every runtime class initialised, then the settings again. */
  static final class LoadEverything {
    public static void main(String[] args) throws Exception {
      Map<String, String> before = jvmWideSettings();
      int loaded = 0;
      for (String name : runtimeClasses()) {
        Class.forName(name, true, LoadEverything.class.getClassLoader());
        loaded++;
      }
      // the conversions choose their implementation when first used; use them
      float[] block = {1.5f, -0f, Float.NaN};
      short[] bits = new short[3];
      HalfArrays.floatToBf16(block, bits, 0, 3);
      Map<String, String> after = jvmWideSettings();
      List<String> changed = new ArrayList<>();
      for (String key : union(before, after)) {
        if (!String.valueOf(before.get(key)).equals(String.valueOf(after.get(key)))) {
          changed.add(key + ": " + before.get(key) + " -> " + after.get(key));
        }
      }
      System.out.println(loaded + " runtime classes initialised, 16-bit conversions: "
          + HalfArrays.implementation());
      System.out.println("changed JVM-wide settings: " + changed);
      System.exit(loaded > 20 && changed.isEmpty() ? 0 : 1);
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
      TreeMap<String, String> all = new TreeMap<>(a);
      all.putAll(b);
      return new ArrayList<>(all.keySet());
    }

    /** The compiler directives, every writeable JVM flag and every system property, by name. */
    private static Map<String, String> jvmWideSettings() throws Exception {
      Map<String, String> settings = new TreeMap<>();
      Object directives = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
          new Object[] {null}, new String[] {String[].class.getName()});
      settings.put("Compiler.directives_print", String.valueOf(directives));
      HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      for (VMOption option : hotSpot.getDiagnosticOptions()) {
        settings.put("-XX:" + option.getName(), option.getValue());
      }
      System.getProperties().forEach((key, value) -> settings.put("-D" + key, String.valueOf(value)));
      return settings;
    }

    /** The binary names of the runtime's classes, from the directory or jar holding them. */
    private static List<String> runtimeClasses() throws IOException, URISyntaxException {
      Path location = Path.of(HalfArrays.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String packagePath = HalfArrays.class.getPackageName().replace('.', '/') + "/";
      List<String> entries = new ArrayList<>();
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location.resolve(packagePath))) {
          files.forEach(file -> entries.add(location.relativize(file).toString().replace('\\', '/')));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().forEach(entry -> entries.add(entry.getName()));
        }
      }
      List<String> names = new ArrayList<>();
      for (String entry : entries) {
        if (entry.startsWith(packagePath) && entry.endsWith(".class") && !entry.endsWith("package-info.class")) {
          names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        }
      }
      return names;
    }
  }
}
