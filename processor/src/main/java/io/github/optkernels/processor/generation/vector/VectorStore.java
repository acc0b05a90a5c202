package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.CodeBlock;

/**
 * One buffer's store in a fused loop, split around the loop's single branch: {@code check} runs
 * before any store of the iteration and declares the mask {@code unusual} of the lanes the vector
 * rounding does not round as the block store does (null when it rounds every lane, as for float32
 * buffers); {@code write} rounds and stores, and runs only when no store's mask has a lane set.
 */
record VectorStore(CodeBlock check, String unusual, CodeBlock write) {}
