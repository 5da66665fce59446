package io.syncline.cli.common;

import picocli.CommandLine.Option;

/**
 * {@code --check} on the role commands: build everything the flags and files describe (config, mappings, worker
 * settings), report what is wrong, and exit without starting, so a deployment can test what it mounts
 * (docker-compose.yml's services, Kubernetes init containers) before it runs.
 */
public final class CheckOption {

    @Option(names = "--check", description = "Check the flags and the files they name, then exit without starting.")
    boolean check;

    /** Whether only a check was asked for. */
    public boolean only() {
        return check;
    }
}
