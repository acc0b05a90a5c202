package io.github.optkernels.codegen;

import com.palantir.javapoet.CodeBlock;

/**
 * A float vector rounded to a 16-bit type and kept as float32 ({@link HalfVectorCode#round}):
 * {@code code} declares it, {@code unusual} is an int-mask expression of the lanes that rounding
 * gets wrong (a NaN; for fp16 a magnitude that rounds to infinity), which plain Java must round.
 */
public record RoundedVector(CodeBlock code, CodeBlock unusual) {}
