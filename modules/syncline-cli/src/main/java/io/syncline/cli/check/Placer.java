package io.syncline.cli.check;

import java.util.Map;

import io.syncline.config.ConfigProblem;
import io.syncline.config.SynclineConfigLoader;

/**
 * Places a finding at file, line and key of the checked file.
 *
 * @param source the file, as problems name it
 * @param lines the line of every key path in it
 */
public record Placer(String source, Map<String, Integer> lines) {

    public ConfigProblem at(String key, String message) {
        return new ConfigProblem(source, SynclineConfigLoader.lineOf(key, lines), key, message);
    }
}
