package io.syncline.testsupport.docker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only under {@code -Pdocker} and only where a Docker engine answers; otherwise the class is skipped
 * with the reason in the build output. The default build never depends on Docker. (syncline-kafka keeps a copy in its
 * test sources, because this module depends on it.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {

    /** Decides from the {@code syncline.docker} system property (set by the docker profile) and the Docker engine. */
    public final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String test = context.getRequiredTestClass().getSimpleName();
            if (!Boolean.getBoolean("syncline.docker")) {
                return ConditionEvaluationResult.disabled(test + " runs only with -Pdocker (needs a Docker engine)");
            }
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                String reason = test + ": -Pdocker is set but no Docker engine is reachable from this machine "
                        + "(checked DOCKER_HOST, the Docker socket and ~/.testcontainers.properties); skipped";
                // Printed as well, so the skip is visible in the Maven log and not only in the report files.
                System.out.println("[syncline] " + reason);
                return ConditionEvaluationResult.disabled(reason);
            }
            return ConditionEvaluationResult.enabled("-Pdocker and a Docker engine are present");
        }
    }
}
