package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.syncline.registry.server.RegistryService.SchemaRequest;
import io.syncline.registry.server.RegistryState.Reference;
import io.syncline.registry.server.RegistryState.SchemaEntry;
import io.syncline.registry.server.RegistryState.VersionView;
import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Resolved;

/**
 * Schemas parsed with their references resolved against the registry: a request's schema, a stored version (cached
 * on its schema entry), and references with -1 read as the latest version.
 */
final class SchemaReferences {

    private final RegistryState state;

    SchemaReferences(RegistryState state) {
        this.state = state;
    }


    /** The stored form of a schema type: null for Avro, as Confluent stores it. */
    static String typeOrNull(String type) {
        return SchemaTypes.AVRO.equals(type) ? null : type;
    }

    /** Parses a request's schema with its references resolved against the registry (42201 when one is missing). */
    Parsed parse(String subject, SchemaRequest request, boolean normalize, boolean validate) {
        SchemaTypes.Type type = SchemaTypes.of(request.schemaType());
        List<Resolved> references = resolve(subject, request.references(), new LinkedHashSet<>());
        return type.parse(request.schema(), references, normalize);
    }

    /** A stored version parsed (cached on its schema entry); null when it no longer parses here. */
    Parsed parsedVersion(VersionView v) {
        Optional<SchemaEntry> entry = state.schemaById(v.context(), v.id());
        if (entry.isPresent() && entry.get().parsed != null) {
            return entry.get().parsed;
        }
        try {
            Parsed parsed = parse(v.subject(), new SchemaRequest(v.schema(), v.schemaType(), v.references(), null,
                    null, null, null), false, false);
            entry.ifPresent(e -> e.parsed = parsed);
            return parsed;
        } catch (RegistryException e) {
            return null;
        }
    }

    /** Resolves references (and theirs, depth first) to the versions they name; cycles are refused. */
    private List<Resolved> resolve(String subject, List<Reference> references, Set<String> path) {
        List<Resolved> out = new ArrayList<>();
        for (Reference r : references) {
            if (r.name() == null || r.name().isBlank() || r.subject() == null || r.subject().isBlank()) {
                throw RegistryException.invalidSchema("Invalid schema: a reference needs a name, a subject and a"
                        + " version, got " + r);
            }
            String target = Subjects.resolveReference(subject, r.subject());
            Optional<VersionView> v = state.version(target, r.version() == -1 ? -1 : r.version(), false);
            if (v.isEmpty() || (r.version() != -1 && r.version() < 1)) {
                throw RegistryException.invalidSchema("Invalid schema: no schema reference found for subject \""
                        + r.subject() + "\" and version " + r.version() + " (reference '" + r.name() + "')");
            }
            String key = target + "#" + v.get().version();
            if (!path.add(key)) {
                throw RegistryException.invalidSchema("Invalid schema: circular reference through subject \""
                        + r.subject() + "\" version " + v.get().version());
            }
            List<Resolved> nested = resolve(target, v.get().references(), path);
            path.remove(key);
            out.add(new Resolved(r.name(), target, v.get().version(),
                    v.get().schemaType() == null ? SchemaTypes.AVRO : v.get().schemaType(), v.get().schema(), nested));
        }
        return out;
    }


    List<Reference> latestResolved(String subject, List<Reference> references) {
        List<Reference> out = new ArrayList<>();
        for (Reference r : references) {
            if (r.version() == -1) {
                String target = Subjects.resolveReference(subject, r.subject());
                int latest = state.version(target, -1, false).map(VersionView::version).orElse(-1);
                out.add(new Reference(r.name(), r.subject(), latest));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
