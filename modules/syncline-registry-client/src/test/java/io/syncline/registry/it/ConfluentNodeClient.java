package io.syncline.registry.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code @kafkajs/confluent-schema-registry} (a Confluent-compatible registry client and serde for Node that we
 * did not write) to check our wire format and registry use against it. Optional: runs only where {@code node} and the
 * npm package are present and is skipped with instructions otherwise; the build never downloads npm packages.
 */
final class ConfluentNodeClient {

    static final String HOW = "install it with `npm install --prefix modules/syncline-registry-client/target/sr-node "
            + "@kafkajs/confluent-schema-registry@3` or point SYNCLINE_SR_NODE_MODULES at a node_modules directory that "
            + "contains it";

    private final Path modules;
    private final Path script;

    private ConfluentNodeClient(Path modules, Path script) {
        this.modules = modules;
        this.script = script;
    }

    /** The client, or a skipped test (with instructions) where Node or the package is missing. */
    static ConfluentNodeClient assumeAvailable() {
        assumeTrue(nodeAvailable(), "skipped: no `node` on PATH; the interop check needs Node 18+ and " + HOW);
        String env = System.getenv("SYNCLINE_SR_NODE_MODULES");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("target", "sr-node", "node_modules");
        assumeTrue(Files.isRegularFile(dir.resolve("@kafkajs/confluent-schema-registry/package.json")),
                "skipped: @kafkajs/confluent-schema-registry not found; " + HOW);
        try {
            Path script = Path.of(ConfluentNodeClient.class.getResource("/confluent-node/interop.cjs").toURI());
            return new ConfluentNodeClient(dir.toAbsolutePath(), script);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes a framed message with the Node client; returns the value as JSON text. */
    String decode(String registryUrl, byte[] framed) throws IOException, InterruptedException {
        return run(registryUrl, "decode", java.util.HexFormat.of().formatHex(framed));
    }

    /** Registers {@code schema} under {@code subject} and encodes {@code valueJson}; returns {"id":..,"hex":".."}. */
    String encode(String registryUrl, String subject, String schema, String valueJson, Path tmp)
            throws IOException, InterruptedException {
        Path schemaFile = Files.writeString(tmp.resolve("schema.avsc"), schema, StandardCharsets.UTF_8);
        Path valueFile = Files.writeString(tmp.resolve("value.json"), valueJson, StandardCharsets.UTF_8);
        return run(registryUrl, "encode", subject, schemaFile.toString(), valueFile.toString());
    }

    private String run(String registryUrl, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.toString(), registryUrl));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NODE_PATH", modules.toString());
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("node interop " + args[0] + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
