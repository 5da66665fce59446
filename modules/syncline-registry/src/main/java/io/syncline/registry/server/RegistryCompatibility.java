package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryService.CompatibilityResult;
import io.syncline.registry.server.RegistryService.SchemaRequest;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Previous;

/**
 * Compatibility checks as Confluent makes them: against one version or the subject's live versions, at the level in
 * force, within the compatibility group, with the trailer line Confluent's clients expect.
 */
final class RegistryCompatibility {

    private final RegistryState state;
    private final RegistryConfigs configs;
    private final SchemaReferences refs;

    RegistryCompatibility(RegistryState state, RegistryConfigs configs, SchemaReferences refs) {
        this.state = state;
        this.configs = configs;
        this.refs = refs;
    }


    /**
     * Tests a schema against one version ({@code version} given; the subject's level, against that version only) or
     * against the subject's live versions as its level prescribes ({@code version} null), as Confluent does.
     */
    CompatibilityResult checkCompatibility(String rawSubject, String version, SchemaRequest request, boolean verbose,
            boolean normalizeParam) {
        String subject = Subjects.normalize(rawSubject);
        List<VersionView> against;
        if (version != null) {
            int v = RegistryService.parseVersion(version);
            Optional<VersionView> target = state.version(subject, v, false);
            if (target.isEmpty() && v != -1) {
                throw RegistryException.versionNotFound(v);
            }
            against = target.map(List::of).orElse(List.of());
        } else {
            against = state.versions(subject, false);
        }
        ObjectNode config = configs.effectiveConfig(subject);
        boolean normalize = normalizeParam || config.path("normalize").asBoolean(false);
        Parsed parsed;
        try {
            VersionView previous = against.isEmpty() ? null : against.get(against.size() - 1);
            SchemaRequest effective = previous == null ? request
                    : ContractInheritance.withContractsOf(config, request, previous);
            parsed = refs.parse(subject, effective, normalize, true);
            List<String> messages = compatibilityProblems(subject, config, parsed, effective.metadata(), against);
            return new CompatibilityResult(messages.isEmpty(), messages);
        } catch (RegistryException e) {
            if (verbose && e.errorCode() == 42201) {
                return new CompatibilityResult(false, List.of(e.getMessage()));
            }
            throw e;
        }
    }

    /** Confluent's isCompatibleWithPrevious: the level, the compatibility group filter and the trailer line. */
    List<String> compatibilityProblems(String subject, ObjectNode config, Parsed candidate,
            ObjectNode candidateMetadata, List<VersionView> liveAscending) {
        CompatibilityLevel level = configs.level(config);
        String group = config.path("compatibilityGroup").asText(null);
        List<Previous> previous = new ArrayList<>();
        for (VersionView v : liveAscending) {
            if (v.deleted()) {
                continue;
            }
            if (group != null && !Objects.equals(Contracts.property(candidateMetadata, group),
                    Contracts.property(v.metadata(), group))) {
                continue; // only versions of the same compatibility group are checked against
            }
            previous.add(new Previous(v.version(), refs.parsedVersion(v)));
        }
        List<String> messages = new ArrayList<>(SchemaTypes.check(level, candidate, previous));
        if (!messages.isEmpty()) {
            messages.add("{validateFields: '" + config.path("validateFields").asBoolean(false) + "', compatibility: '"
                    + level + "'}");
        }
        return messages;
    }
}
