package io.syncline.registry.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;

import io.syncline.registry.server.SchemaTypes.Parsed;
import io.syncline.registry.server.SchemaTypes.Resolved;

/**
 * Protobuf: {@code .proto} text parsed with Square's Wire parser (as Confluent's provider does); validation checks
 * that imports are registered references (or Google's well-known types), that field numbers are unique per message
 * and that every field type resolves to a scalar, a map, or a message or enum of this file or an imported one. The
 * canonical text is Wire's rendering of the parsed file without comments.
 *
 * <p>Compatibility follows Confluent's Protobuf rules: messages compared by name and fields by number; adding or
 * removing fields, messages and enum constants is compatible; changing a field's kind (scalar, message, map), its
 * scalar family (int32/int64/uint32/uint64/bool and enums; sint32/sint64; string/bytes; fixed32/sfixed32;
 * fixed64/sfixed64; float; double), the message it names, or the package is not; adding or removing a proto2
 * {@code required} field is not; moving fields into a oneof is not, removing a field from a oneof is not.
 */
final class ProtobufSchemas implements SchemaTypes.Type {

    static final ProtobufSchemas TYPE = new ProtobufSchemas();

    private static final String WELL_KNOWN_PREFIX = "google/protobuf/";
    private static final Set<String> WELL_KNOWN_TYPES = Set.of("google.protobuf.Any", "google.protobuf.Duration",
            "google.protobuf.Empty", "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
            "google.protobuf.ListValue", "google.protobuf.NullValue", "google.protobuf.Timestamp",
            "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
            "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
            "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
            "google.type.Date", "google.type.TimeOfDay", "google.type.Money", "google.type.Decimal",
            "confluent.type.Decimal");

    private ProtobufSchemas() {
    }

    /** The file and every type it can see (its own and its imports'), by full name. */
    record Model(ProtoFileElement file, Map<String, TypeElement> types, Map<String, String> packages) {
    }

    @Override
    public String name() {
        return SchemaTypes.PROTOBUF;
    }

    @Override
    public Parsed parse(String text, List<Resolved> references, boolean normalize) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        ProtoFileElement file = parseFile(text, "the schema");
        Map<String, TypeElement> types = new HashMap<>();
        Map<String, String> packages = new HashMap<>();
        collectTypes(file.getPackageName(), file.getTypes(), "", types, packages);
        Set<String> referenceNames = new HashSet<>();
        addReferences(references, types, packages, referenceNames);
        for (String imported : imports(file)) {
            if (!referenceNames.contains(imported) && !imported.startsWith(WELL_KNOWN_PREFIX)
                    && !imported.startsWith("confluent/") && !imported.startsWith("google/type/")) {
                throw invalid("import \"" + imported + "\" is not among the schema's references " + referenceNames);
            }
        }
        for (Map.Entry<String, TypeElement> e : types.entrySet()) {
            if (e.getValue() instanceof MessageElement m && isLocal(e.getKey(), file, m)) {
                validateMessage(e.getKey(), m, types);
            }
        }
        return new Parsed(SchemaTypes.PROTOBUF, canonical(file), new Model(file, types, packages), references);
    }

    private static boolean isLocal(String fullName, ProtoFileElement file, MessageElement m) {
        String pkg = file.getPackageName();
        return pkg == null || fullName.startsWith(pkg + ".");
    }

    private static ProtoFileElement parseFile(String text, String what) {
        try {
            return ProtoParser.Companion.parse(Location.get("schema.proto"), text);
        } catch (RuntimeException e) {
            throw invalid(what + " does not parse: " + e.getMessage());
        }
    }

    private static List<String> imports(ProtoFileElement file) {
        List<String> out = new ArrayList<>(file.getImports());
        out.addAll(file.getPublicImports());
        return out;
    }

    private static void addReferences(List<Resolved> references, Map<String, TypeElement> types,
            Map<String, String> packages, Set<String> names) {
        for (Resolved r : references) {
            if (!SchemaTypes.PROTOBUF.equals(r.schemaType())) {
                throw invalid("reference '" + r.name() + "' (" + r.subject() + " version " + r.version() + ") is a "
                        + r.schemaType() + " schema; a Protobuf schema can only import Protobuf schemas");
            }
            names.add(r.name());
            ProtoFileElement f = parseFile(r.schema(), "referenced schema '" + r.name() + "'");
            collectTypes(f.getPackageName(), f.getTypes(), "", types, packages);
            addReferences(r.references(), types, packages, names);
        }
    }

    private static void collectTypes(String pkg, List<TypeElement> elements, String outer,
            Map<String, TypeElement> out, Map<String, String> packages) {
        for (TypeElement t : elements) {
            String local = outer.isEmpty() ? t.getName() : outer + "." + t.getName();
            String full = pkg == null || pkg.isEmpty() ? local : pkg + "." + local;
            out.put(full, t);
            packages.put(full, pkg == null ? "" : pkg);
            collectTypes(pkg, t.getNestedTypes(), local, out, packages);
        }
    }

    private static void validateMessage(String fullName, MessageElement m, Map<String, TypeElement> types) {
        Set<Integer> tags = new HashSet<>();
        for (FieldElement f : allFields(m)) {
            if (!tags.add(f.getTag())) {
                throw invalid("field number " + f.getTag() + " is used twice in message " + fullName);
            }
            checkType(fullName, f.getName(), f.getType(), types);
        }
    }

    private static void checkType(String scope, String field, String type, Map<String, TypeElement> types) {
        ProtoType t = ProtoType.get(type);
        if (t.isScalar()) {
            return;
        }
        if (t.isMap()) {
            checkType(scope, field, t.getKeyType().toString(), types);
            checkType(scope, field, t.getValueType().toString(), types);
            return;
        }
        if (resolve(scope, type, types) == null) {
            throw invalid("field '" + field + "' of message " + scope + " has type " + type
                    + ", which is neither a scalar nor a message or enum of this schema or its references");
        }
    }

    /** Protobuf name resolution: innermost scope first, then outwards; a leading dot is fully qualified. */
    private static String resolve(String scope, String type, Map<String, TypeElement> types) {
        if (type.startsWith(".")) {
            String full = type.substring(1);
            return types.containsKey(full) || WELL_KNOWN_TYPES.contains(full) ? full : null;
        }
        String s = scope;
        while (true) {
            String candidate = s.isEmpty() ? type : s + "." + type;
            if (types.containsKey(candidate)) {
                return candidate;
            }
            if (s.isEmpty()) {
                break;
            }
            int dot = s.lastIndexOf('.');
            s = dot < 0 ? "" : s.substring(0, dot);
        }
        return WELL_KNOWN_TYPES.contains(type) ? type : null;
    }

    private static List<FieldElement> allFields(MessageElement m) {
        List<FieldElement> out = new ArrayList<>(m.getFields());
        for (OneOfElement o : m.getOneOfs()) {
            out.addAll(o.getFields());
        }
        return out;
    }

    /** Wire's rendering without comments: documentation and the generator banner do not change a schema. */
    private static String canonical(ProtoFileElement file) {
        return file.toSchema().lines().filter(line -> !line.strip().startsWith("//"))
                .collect(Collectors.joining("\n")).strip() + "\n";
    }

    private static RegistryException invalid(String detail) {
        return RegistryException.invalidSchema("Invalid schema of type PROTOBUF, details: " + detail);
    }

    // ---------------------------------------------------------------- compatibility

    @Override
    public List<String> readerProblems(Parsed reader, Parsed writer, String readerName, String writerName) {
        Diff diff = new Diff((Model) writer.model(), (Model) reader.model(), readerName, writerName);
        ProtoFileElement original = ((Model) writer.model()).file();
        ProtoFileElement update = ((Model) reader.model()).file();
        if (!Objects.equals(original.getPackageName(), update.getPackageName())) {
            diff.problem("PACKAGE_CHANGED", "#/", "The package at %path in the " + readerName + " schema does not match"
                    + " the package in the " + writerName + " schema");
        }
        diff.compareTypes(original.getPackageName(), original.getTypes(), update.getPackageName(), update.getTypes(),
                "#/");
        return new ArrayList<>(diff.problems);
    }

    private static final class Diff {
        private final Model original;
        private final Model update;
        private final String reader;
        private final String writer;
        private final Set<String> problems = new LinkedHashSet<>();
        private final Set<String> compared = new HashSet<>();

        Diff(Model original, Model update, String reader, String writer) {
            this.original = original;
            this.update = update;
            this.reader = reader;
            this.writer = writer;
        }

        void problem(String type, String path, String description) {
            problems.add("{errorType:\"" + type + "\", description:\"" + description.replace("%path", "'" + path + "'")
                    + "\"}");
        }

        void compareTypes(String originalScope, List<TypeElement> originals, String updateScope,
                List<TypeElement> updates, String path) {
            Map<String, MessageElement> om = messages(originals);
            Map<String, MessageElement> um = messages(updates);
            for (Map.Entry<String, MessageElement> e : om.entrySet()) {
                MessageElement u = um.get(e.getKey());
                String p = path + e.getKey();
                if (u == null) {
                    problem("MESSAGE_REMOVED", p, "The " + reader + " schema is missing a MESSAGE type at path %path"
                            + " in the " + writer + " schema");
                } else {
                    compareMessages(join(originalScope, e.getKey()), e.getValue(), join(updateScope, e.getKey()), u, p);
                }
            }
        }

        private static String join(String scope, String name) {
            return scope == null || scope.isEmpty() ? name : scope + "." + name;
        }

        private static Map<String, MessageElement> messages(List<TypeElement> types) {
            Map<String, MessageElement> out = new HashMap<>();
            for (TypeElement t : types) {
                if (t instanceof MessageElement m) {
                    out.put(m.getName(), m);
                }
            }
            return out;
        }

        void compareMessages(String originalName, MessageElement o, String updateName, MessageElement u, String path) {
            if (!compared.add(originalName + "|" + updateName)) {
                return; // recursive message: already being compared
            }
            Map<Integer, FieldElement> of = byTag(o.getFields());
            Map<Integer, FieldElement> uf = byTag(u.getFields());
            Map<Integer, String> oOneOf = oneOfByTag(o);
            Map<Integer, String> uOneOf = oneOfByTag(u);
            allFields(o).forEach(f -> of.put(f.getTag(), f));
            allFields(u).forEach(f -> uf.put(f.getTag(), f));
            for (Map.Entry<Integer, FieldElement> e : of.entrySet()) {
                FieldElement ofield = e.getValue();
                FieldElement ufield = uf.get(e.getKey());
                String p = path + "." + ofield.getName();
                if (ufield == null) {
                    if (ofield.getLabel() == Field.Label.REQUIRED) {
                        problem("REQUIRED_FIELD_REMOVED", p, "The " + reader + " schema is missing a required field"
                                + " at path %path in the " + writer + " schema");
                    }
                    if (oOneOf.containsKey(e.getKey())) {
                        problem("ONEOF_FIELD_REMOVED", p, "The " + reader + " schema is missing a field of oneof "
                                + oOneOf.get(e.getKey()) + " at path %path in the " + writer + " schema");
                    }
                    continue;
                }
                String oo = oOneOf.get(e.getKey());
                String uo = uOneOf.get(e.getKey());
                if (uo != null && !Objects.equals(oo, uo)) {
                    problem("FIELD_MOVED_TO_EXISTING_ONEOF", p, "The field at path %path was moved into oneof " + uo
                            + " in the " + reader + " schema");
                }
                compareField(originalName, ofield, updateName, ufield, p);
            }
            for (Map.Entry<Integer, FieldElement> e : uf.entrySet()) {
                if (!of.containsKey(e.getKey()) && e.getValue().getLabel() == Field.Label.REQUIRED) {
                    problem("REQUIRED_FIELD_ADDED", path + "." + e.getValue().getName(), "The " + reader
                            + " schema has a required field at path %path missing in the " + writer + " schema");
                }
            }
            compareTypes(originalName, o.getNestedTypes(), updateName, u.getNestedTypes(), path + ".");
        }

        private void compareField(String originalScope, FieldElement o, String updateScope, FieldElement u,
                String path) {
            compareTypes(originalScope, ProtoType.get(o.getType()), updateScope, ProtoType.get(u.getType()), path,
                    o.getLabel(), u.getLabel());
        }

        private void compareTypes(String originalScope, ProtoType o, String updateScope, ProtoType u, String path,
                Field.Label ol, Field.Label ul) {
            String ok = kind(originalScope, o, original);
            String uk = kind(updateScope, u, update);
            if (!ok.equals(uk)) {
                problem("FIELD_KIND_CHANGED", path, "The type of a field at path %path in the " + reader
                        + " schema does not match the " + writer + " schema");
                return;
            }
            switch (ok) {
                case "SCALAR" -> {
                    if (!scalarFamily(originalScope, o, original).equals(scalarFamily(updateScope, u, update))) {
                        problem("FIELD_SCALAR_KIND_CHANGED", path, "The kind of a SCALAR field at path %path in the "
                                + reader + " schema does not match its kind in the " + writer + " schema");
                    } else if (ol != null && ul != null && ol != ul
                            && !scalarFamily(originalScope, o, original).equals("STRING_OR_BYTES")
                            && (ol == Field.Label.REPEATED || ul == Field.Label.REPEATED)) {
                        problem("FIELD_NUMERIC_LABEL_CHANGED", path, "The label of a numeric field at path %path in"
                                + " the " + reader + " schema does not match the " + writer + " schema");
                    }
                }
                case "MAP" -> {
                    compareTypes(originalScope, o.getKeyType(), updateScope, u.getKeyType(), path, null, null);
                    compareTypes(originalScope, o.getValueType(), updateScope, u.getValueType(), path, null, null);
                }
                default -> {
                    String on = resolve(originalScope, o.toString(), original.types());
                    String un = resolve(updateScope, u.toString(), update.types());
                    String olocal = local(on, original);
                    String ulocal = local(un, update);
                    if (!Objects.equals(olocal, ulocal)) {
                        problem("FIELD_NAMED_TYPE_CHANGED", path, "The type of a MESSAGE field at path %path in the "
                                + reader + " schema does not match its type in the " + writer + " schema");
                    } else if (on != null && un != null && original.types().get(on) instanceof MessageElement om
                            && update.types().get(un) instanceof MessageElement um) {
                        int before = problems.size();
                        compareMessages(on, om, un, um, path);
                        if (problems.size() > before) {
                            problem("FIELD_NAMED_TYPE_CHANGED", path, "The MESSAGE type of the field at path %path"
                                    + " changed incompatibly");
                        }
                    }
                }
            }
        }

        private static String local(String fullName, Model model) {
            if (fullName == null) {
                return null;
            }
            String pkg = model.packages().getOrDefault(fullName, "");
            return !pkg.isEmpty() && fullName.startsWith(pkg + ".") ? fullName.substring(pkg.length() + 1) : fullName;
        }

        private static String kind(String scope, ProtoType t, Model model) {
            if (t.isScalar()) {
                return "SCALAR";
            }
            if (t.isMap()) {
                return "MAP";
            }
            String full = resolve(scope, t.toString(), model.types());
            return full != null && model.types().get(full) instanceof EnumElement ? "SCALAR" : "MESSAGE";
        }

        private static String scalarFamily(String scope, ProtoType t, Model model) {
            if (!t.isScalar()) {
                return "GENERAL_NUMBER"; // an enum
            }
            return switch (t.toString()) {
                case "int32", "int64", "uint32", "uint64", "bool" -> "GENERAL_NUMBER";
                case "sint32", "sint64" -> "SIGNED_NUMBER";
                case "string", "bytes" -> "STRING_OR_BYTES";
                case "fixed32", "sfixed32" -> "FIXED32";
                case "fixed64", "sfixed64" -> "FIXED64";
                case "float" -> "FLOAT";
                case "double" -> "DOUBLE";
                default -> t.toString();
            };
        }

        private static Map<Integer, FieldElement> byTag(List<FieldElement> fields) {
            Map<Integer, FieldElement> out = new java.util.TreeMap<>();
            fields.forEach(f -> out.put(f.getTag(), f));
            return out;
        }

        private static Map<Integer, String> oneOfByTag(MessageElement m) {
            Map<Integer, String> out = new HashMap<>();
            for (OneOfElement o : m.getOneOfs()) {
                o.getFields().forEach(f -> out.put(f.getTag(), o.getName()));
            }
            return out;
        }
    }
}
