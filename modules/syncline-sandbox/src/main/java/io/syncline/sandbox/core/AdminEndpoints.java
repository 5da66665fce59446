package io.syncline.sandbox.core;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Admin endpoints every sandbox with a generator, webhooks or an object inventory offers, registered the same way. */
public final class AdminEndpoints {

    private AdminEndpoints() {
    }

    /**
     * {@code GET /_sandbox/generator}, {@code POST /_sandbox/generator/start} (optional {@code {"rate": 5}}),
     * {@code POST /_sandbox/generator/stop}, {@code POST /_sandbox/generator/steps} ({@code {"steps": 10}}).
     */
    public static void generator(SandboxServer.AdminRoutes admin, ActivityScheduler scheduler) {
        String base = SandboxServer.ADMIN_PREFIX + "/generator";
        admin.get(base, req -> ApiResponse.ok(generatorJson(scheduler)));
        admin.post(base + "/start", req -> {
            JsonNode body = SandboxServer.adminJson(req);
            if (body.has("rate")) {
                if (!body.get("rate").isNumber()) {
                    throw new IllegalArgumentException("rate must be a number of events per second, got "
                            + body.get("rate"));
                }
                scheduler.rate(body.get("rate").doubleValue());
            }
            scheduler.start();
            return ApiResponse.ok(generatorJson(scheduler));
        });
        admin.post(base + "/stop", req -> {
            scheduler.stop();
            return ApiResponse.ok(generatorJson(scheduler));
        });
        admin.post(base + "/steps", req -> {
            JsonNode body = SandboxServer.adminJson(req);
            JsonNode steps = body.path("steps");
            if (!steps.canConvertToInt() || steps.asInt() < 1 || steps.asInt() > 100_000) {
                throw new IllegalArgumentException("steps must be a whole number between 1 and 100000, got " + steps);
            }
            int produced = scheduler.runSteps(steps.asInt());
            ObjectNode out = generatorJson(scheduler);
            out.put("produced", produced);
            return ApiResponse.ok(out);
        });
    }

    private static ObjectNode generatorJson(ActivityScheduler scheduler) {
        ObjectNode n = Json.object();
        n.put("running", scheduler.running());
        n.put("rate", scheduler.rate());
        n.put("steps", scheduler.steps());
        n.put("units", scheduler.units());
        return n;
    }

    /** {@code GET /_sandbox/objects}: ids of every object the sandbox holds, by type, in creation order. */
    public static void objects(SandboxServer.AdminRoutes admin, Supplier<Map<String, List<String>>> ids) {
        admin.get(SandboxServer.ADMIN_PREFIX + "/objects", req -> ApiResponse.ok(Json.MAPPER.valueToTree(ids.get())));
    }

    /** {@code GET|DELETE /_sandbox/webhooks/attempts}: every webhook delivery attempt, oldest first. */
    public static void webhooks(SandboxServer.AdminRoutes admin, WebhookDispatcher dispatcher) {
        String path = SandboxServer.ADMIN_PREFIX + "/webhooks/attempts";
        admin.get(path, req -> {
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("attempts");
            for (WebhookDispatcher.Attempt a : dispatcher.attempts()) {
                data.add(Json.MAPPER.valueToTree(a));
            }
            return ApiResponse.ok(out);
        });
        admin.delete(path, req -> {
            dispatcher.clearAttempts();
            return ApiResponse.ok(Json.object().put("cleared", true));
        });
    }

    /**
     * {@code GET /_sandbox/clock} and {@code POST /_sandbox/clock/advance} ({@code {"seconds": 1800}}): move a
     * sandbox's time forward, e.g. past an access token's expiry, without waiting.
     */
    public static void clock(SandboxServer.AdminRoutes admin, MutableClock clock) {
        String base = SandboxServer.ADMIN_PREFIX + "/clock";
        admin.get(base, req -> ApiResponse.ok(Json.object().put("now", clock.instant().toString())));
        admin.post(base + "/advance", req -> {
            JsonNode seconds = SandboxServer.adminJson(req).path("seconds");
            if (!seconds.canConvertToLong() || seconds.asLong() < 0) {
                throw new IllegalArgumentException("seconds must be a non-negative whole number, got " + seconds);
            }
            clock.advance(java.time.Duration.ofSeconds(seconds.asLong()));
            return ApiResponse.ok(Json.object().put("now", clock.instant().toString()));
        });
    }

    /**
     * {@code GET|DELETE /_sandbox/writes}: every write clients applied, in order, and how many writes were recognised
     * as repeats of an applied {@code objectWriteTraceId} and not applied ({@code repeatedWriteTraceIds}).
     */
    public static void writes(SandboxServer.AdminRoutes admin, WriteLog writes) {
        String path = SandboxServer.ADMIN_PREFIX + "/writes";
        admin.get(path, req -> {
            ObjectNode out = Json.object();
            out.put("repeatedWriteTraceIds", writes.repeatedCount());
            ArrayNode data = out.putArray("writes");
            for (WriteRecord w : writes.records()) {
                data.add(Json.MAPPER.valueToTree(w));
            }
            return ApiResponse.ok(out);
        });
        admin.delete(path, req -> {
            writes.clear();
            return ApiResponse.ok(Json.object().put("cleared", true));
        });
    }
}
