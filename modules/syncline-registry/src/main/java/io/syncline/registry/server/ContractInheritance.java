package io.syncline.registry.server;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncline.registry.server.RegistryService.SchemaRequest;
import io.syncline.registry.server.RegistryState.Reference;
import io.syncline.registry.server.RegistryState.VersionView;

/**
 * Confluent's data-contract inheritance: a new version's metadata and rule set come from the request or else the
 * previous version, merged between the config's {@code default*} and {@code override*} contracts.
 */
final class ContractInheritance {

    private ContractInheritance() {
    }

    /**
     * Confluent's maybePopulateFromPrevious: an empty schema takes the previous version's; metadata and rule set
     * come from the request or else the previous version, merged between the config's defaults and overrides;
     * {@code confluent:version} is set when the request named a version or the merged metadata carries one.
     */
    static SchemaRequest populateFromPrevious(ObjectNode config, SchemaRequest request, VersionView previous,
            int newVersion) {
        String schema = request.schema();
        String type = request.schemaType();
        List<Reference> references = request.references();
        if (schema == null || schema.isBlank()) {
            if (previous == null) {
                throw RegistryException.invalidSchema("Empty schema");
            }
            schema = previous.schema();
            type = previous.schemaType();
            references = previous.references();
        }
        SchemaRequest merged = withContractsOf(config, request, previous);
        ObjectNode metadata = merged.metadata();
        boolean versionAsked = request.version() != null && request.version() != 0;
        if (versionAsked || Contracts.confluentVersion(metadata) != null) {
            metadata = Contracts.withConfluentVersion(metadata, newVersion);
        }
        return request.with(schema, type, references, metadata, merged.ruleSet());
    }

    /**
     * The request with the contracts a registration would give it: its own metadata and rule set, or else the
     * previous version's (when there is one), each merged between the config's defaults and overrides.
     */
    static SchemaRequest withContractsOf(ObjectNode config, SchemaRequest request, VersionView previous) {
        ObjectNode specificMetadata = request.metadata() != null ? request.metadata()
                : previous != null ? previous.metadata() : null;
        ObjectNode metadata = Contracts.mergeMetadata(Contracts.mergeMetadata(
                contract(config, "defaultMetadata", true), specificMetadata), contract(config, "overrideMetadata", true));
        ObjectNode specificRuleSet = request.ruleSet() != null ? request.ruleSet()
                : previous != null ? previous.ruleSet() : null;
        ObjectNode ruleSet = Contracts.mergeRuleSets(Contracts.mergeRuleSets(
                contract(config, "defaultRuleSet", false), specificRuleSet), contract(config, "overrideRuleSet", false));
        return request.with(request.schema(), request.schemaType(), request.references(), metadata, ruleSet);
    }

    private static ObjectNode contract(ObjectNode config, String field, boolean metadata) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return metadata ? Contracts.metadata(node, field) : Contracts.ruleSet(node, field);
    }
}
