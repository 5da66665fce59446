package io.syncline.normalizer.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;

/** The canonical entities mappings may target: name (e.g. {@code finance.Payment}) → Avro schema and topic. */
public final class TargetCatalog {

    /**
     * One canonical entity.
     *
     * @param name {@code <domain>.<Entity>}, as written in a mapping's {@code target}
     * @param schema the Avro schema of its records
     * @param topic the canonical topic, {@code canonical.<domain>.<entity>.v<N>}
     */
    public record Target(String name, Schema schema, String topic) {
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();

    private TargetCatalog(Collection<Target> targets) {
        for (Target t : targets) {
            this.targets.put(t.name(), t);
        }
    }

    /** The canonical entities of {@code schemas/} (module syncline-schemas): what shipped mappings target. */
    public static TargetCatalog canonical() {
        return new TargetCatalog(io.syncline.schemas.CanonicalSchemas.entities().stream()
                .map(e -> new Target(e.name(), e.schema(), e.topic())).toList());
    }

    public static TargetCatalog of(Collection<Target> targets) {
        return new TargetCatalog(targets);
    }

    /**
     * A catalog built from schemas alone: the name is {@code <last namespace part>.<record name>} and the topic
     * {@code canonical.<domain>.<kebab-case entity>.v1}, as for the canonical schemas.
     */
    public static TargetCatalog ofSchemas(Collection<Schema> schemas) {
        List<Target> list = new ArrayList<>();
        for (Schema s : schemas) {
            String ns = s.getNamespace() == null ? "" : s.getNamespace();
            String domain = ns.substring(ns.lastIndexOf('.') + 1);
            String entity = s.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            list.add(new Target(domain + "." + s.getName(), s, "canonical." + domain + "." + entity + ".v1"));
        }
        return new TargetCatalog(list);
    }

    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public Collection<String> names() {
        return targets.keySet();
    }

    public Collection<Target> all() {
        return targets.values();
    }
}
