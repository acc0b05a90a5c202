package io.github.optkernels.processor.generation.ir;

import com.palantir.javapoet.NameAllocator;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The names of one generated method's locals: JavaPoet's {@link NameAllocator} with the names the
 * method already uses taken, so a local keeps its hint ({@code m}, {@code vMax}) unless that would
 * shadow something, and never becomes a Java keyword. Names are given on first use, which is
 * declaration order.
 */
public final class LocalNames {
  private final NameAllocator allocator = new NameAllocator();
  private final Map<Var, String> names = new HashMap<>();

  /** @param taken names the method already uses (parameters, fields read as locals, loop variables) */
  public LocalNames(Collection<String> taken) {
    for (String name : new LinkedHashSet<>(taken)) {
      allocator.newName(name, "taken:" + name);
    }
  }

  /** Gives {@code var} exactly its hint: a method parameter. */
  public void fixed(Var var) {
    String name = allocator.newName(var.hint(), var);
    if (!name.equals(var.hint())) {
      throw new IllegalStateException("parameter name " + var.hint() + " is taken");
    }
    names.put(var, name);
  }

  /** The name of {@code var}. */
  public String of(Var var) {
    return names.computeIfAbsent(var, v -> allocator.newName(v.hint(), v));
  }

  /** A new name from {@code hint}, for a local the IR does not have (a stored vector). */
  public String fresh(String hint) {
    return allocator.newName(hint);
  }
}
