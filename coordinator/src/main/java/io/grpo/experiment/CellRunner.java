package io.grpo.experiment;

import java.nio.file.Path;

/** Trains and evaluates one cell of the grid in its own run directory. */
public interface CellRunner {
    ResultRow run(Cell cell, Path runDir) throws Exception;
}
