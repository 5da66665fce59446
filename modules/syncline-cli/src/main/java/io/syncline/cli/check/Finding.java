package io.syncline.cli.check;

import io.syncline.config.ConfigProblem;

/**
 * One result of {@code syncline validate}: a problem (the file cannot be run as it is) or a warning (something
 * validate could not check from here, and why).
 *
 * @param problem where and what
 * @param warning true when it does not make the file invalid
 */
public record Finding(ConfigProblem problem, boolean warning) {

    public static Finding problem(ConfigProblem problem) {
        return new Finding(problem, false);
    }

    public static Finding warning(ConfigProblem problem) {
        return new Finding(problem, true);
    }

    @Override
    public String toString() {
        return warning ? "warning: " + problem : problem.toString();
    }
}
