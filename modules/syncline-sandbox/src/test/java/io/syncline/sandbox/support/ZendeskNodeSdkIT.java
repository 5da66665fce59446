package io.syncline.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Wire compatibility with code we did not write: node-zendesk, a maintained Zendesk client, upserts a user, creates,
 * updates and lists tickets and comments, reads both incremental exports, gets Zendesk's errors and rides out 429s
 * against the sandbox, unchanged but for its endpoint. Optional: it runs only where Node and the {@code node-zendesk}
 * npm package are present, and is skipped with instructions otherwise; the build never downloads npm packages.
 */
class ZendeskNodeSdkIT {

    private static final String HOW = "install it with `npm install --prefix modules/syncline-sandbox/target/"
            + "zendesk-node node-zendesk` or point SYNCLINE_ZENDESK_NODE_MODULES at a node_modules directory that "
            + "contains it";

    @TempDir
    Path tmp;

    private static Path nodeModules() {
        String env = System.getenv("SYNCLINE_ZENDESK_NODE_MODULES");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("target", "zendesk-node", "node_modules");
        return Files.isRegularFile(dir.resolve("node-zendesk").resolve("package.json")) ? dir.toAbsolutePath() : null;
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

    @Test
    void nodeZendeskWorksAgainstTheSandboxUnchanged() throws Exception {
        assumeTrue(nodeAvailable(), "skipped: no `node` on PATH; the node-zendesk check needs Node 18+ and the "
                + "node-zendesk npm package (" + HOW + ")");
        Path modules = nodeModules();
        assumeTrue(modules != null, "skipped: the node-zendesk npm package was not found; " + HOW);

        try (SupportSandbox zendesk = SupportSandbox.builder().seed(23).rateLimitPerMinute(0).build().start()) {
            String oauthToken = zendesk.oauth().issueAccessToken();
            Path script = Path.of(ZendeskNodeSdkIT.class.getResource("/zendesk-sdk/check.cjs").toURI());
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), zendesk.url(), zendesk.agentEmail(),
                    zendesk.apiToken(), oauthToken);
            pb.environment().put("NODE_PATH", modules.toString());
            pb.redirectError(tmp.resolve("stderr.txt").toFile());
            Process process = pb.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(() -> {
                try {
                    return Files.readString(tmp.resolve("stderr.txt")) + "\nrequests: "
                            + zendesk.requestLog().records().stream().map(r -> r.method() + " " + r.path() + "?"
                            + r.query() + " " + r.status() + " " + r.fault()).toList();
                } catch (IOException e) {
                    return e.toString();
                }
            }).isZero();
            JsonNode out = new ObjectMapper().readTree(stdout.lines().reduce((a, b) -> b).orElseThrow());

            assertThat(out.get("meEmail").asText()).isEqualTo(zendesk.agentEmail());
            assertThat(out.get("userStatus")).extracting(JsonNode::asInt).containsExactly(201, 200);
            assertThat(out.get("userSameId").asBoolean()).isTrue();
            assertThat(out.get("userName").asText()).isEqualTo("Node Customer Jr");
            long ticketId = out.get("ticketId").asLong();
            assertThat(out.get("ticketStatus").asText()).isEqualTo("new");
            assertThat(out.get("updatedStatus").asText()).isEqualTo("open");
            assertThat(out.get("comments")).extracting(JsonNode::asText)
                    .containsExactly("Card declined: 12.50 EUR", "We are looking into it");
            assertThat(out.get("byExternalIds")).extracting(JsonNode::asLong).containsExactly(ticketId);
            assertThat(out.get("listedIds")).extracting(JsonNode::asLong).containsExactly(ticketId);
            assertThat(out.at("/missing/statusCode").asInt()).isEqualTo(404);
            assertThat(out.at("/missing/error").asText()).isEqualTo("RecordNotFound");
            assertThat(out.at("/invalid/statusCode").asInt()).isEqualTo(422);
            assertThat(out.at("/invalid/error").asText()).isEqualTo("RecordInvalid");
            assertThat(out.at("/invalid/detail/0").asText()).isEqualTo("description");
            assertThat(out.get("exportedIds")).extracting(JsonNode::asLong).containsExactly(ticketId);
            assertThat(out.get("cursorExportedIds")).extracting(JsonNode::asLong).containsExactly(ticketId);
            assertThat(out.get("throttledCallsSucceeded").asInt()).isEqualTo(6);
            assertThat(out.get("retried").asInt()).isPositive();
            assertThat(zendesk.requestLog().records(r -> "rate_limit".equals(r.fault()))).hasSize(
                    out.get("retried").asInt());
            assertThat(out.get("oauthMe").asText()).isEqualTo(zendesk.agentEmail());
        }
    }
}
