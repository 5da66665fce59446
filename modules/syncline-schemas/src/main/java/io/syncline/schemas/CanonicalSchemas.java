package io.syncline.schemas;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

import io.syncline.schemas.crm.Company;
import io.syncline.schemas.crm.Contact;
import io.syncline.schemas.crm.Deal;
import io.syncline.schemas.finance.Customer;
import io.syncline.schemas.finance.CustomerActivity;
import io.syncline.schemas.finance.Invoice;
import io.syncline.schemas.finance.Order;
import io.syncline.schemas.finance.Payment;
import io.syncline.schemas.finance.Refund;
import io.syncline.schemas.identity.Person;
import io.syncline.schemas.identity.PersonLink;
import io.syncline.schemas.support.SupportUser;
import io.syncline.schemas.support.Ticket;
import io.syncline.schemas.support.TicketComment;

/**
 * The catalogue of canonical entities: entity name, generated class, schema and topic, plus Avro readers and writers
 * that work without any JVM-wide Avro setting.
 *
 * <p>Avro 1.12 refuses to instantiate generated classes it was not told to trust ({@code SecurityException:
 * Forbidden ...} from {@code SpecificDatumReader}). Loading this class trusts exactly the classes generated from the
 * canonical schemas, so consumers need neither {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} nor their own
 * {@link ClassSecurityValidator} setup.
 */
public final class CanonicalSchemas {

    /** Root namespace of every canonical schema; the next segment is the domain. */
    public static final String NAMESPACE_ROOT = "io.syncline.schemas";

    /** Schema property holding a canonical record's major version; it is part of the topic name. */
    public static final String MAJOR_PROPERTY = "syncline.major";

    /**
     * Schema property marking an enum as closed: it has no default symbol, so adding a symbol is a breaking change.
     * Every other enum must default to {@value #UNKNOWN_SYMBOL}.
     */
    public static final String CLOSED_ENUM_PROPERTY = "syncline.closed";

    /** The default symbol of every open enum, read in place of symbols a reader does not know. */
    public static final String UNKNOWN_SYMBOL = "UNKNOWN";

    private static final Pattern SOURCE_SYSTEM = Pattern.compile("[a-z][a-z0-9-]*");

    // The one place a new canonical entity is registered; CanonicalSchemasTest fails when a schema file is missing here.
    private static final List<Class<? extends SpecificRecord>> RECORD_CLASSES = List.of(
            Customer.class, Payment.class, Invoice.class, Refund.class, Order.class, CustomerActivity.class,
            Contact.class, Company.class, Deal.class,
            Ticket.class, TicketComment.class, SupportUser.class,
            Person.class, PersonLink.class);

    private static final Map<String, CanonicalEntity> BY_NAME;
    private static final Map<String, CanonicalEntity> BY_TOPIC;
    private static final Map<Class<?>, CanonicalEntity> BY_CLASS;
    private static final Set<Class<?>> GENERATED_CLASSES;

    static {
        Map<String, CanonicalEntity> byName = new LinkedHashMap<>();
        Map<String, CanonicalEntity> byTopic = new LinkedHashMap<>();
        Map<Class<?>, CanonicalEntity> byClass = new LinkedHashMap<>();
        Set<Class<?>> generated = new LinkedHashSet<>();
        for (Class<? extends SpecificRecord> type : RECORD_CLASSES) {
            CanonicalEntity entity = describe(type);
            byName.put(entity.name(), entity);
            byTopic.put(entity.topic(), entity);
            byClass.put(type, entity);
            collectGeneratedClasses(entity.schema(), generated);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
        BY_TOPIC = Collections.unmodifiableMap(byTopic);
        BY_CLASS = Collections.unmodifiableMap(byClass);
        GENERATED_CLASSES = Collections.unmodifiableSet(generated);
        trustGeneratedClasses();
    }

    private CanonicalSchemas() {
    }

    /** Every canonical entity, grouped by domain in a stable order. */
    public static List<CanonicalEntity> entities() {
        return List.copyOf(BY_NAME.values());
    }

    /** The entity named {@code <domain>.<RecordName>}, e.g. {@code finance.Payment}, if there is one. */
    public static Optional<CanonicalEntity> findEntity(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The entity named {@code <domain>.<RecordName>}, e.g. {@code finance.Payment}.
     *
     * @throws IllegalArgumentException naming the unknown entity and listing the known ones
     */
    public static CanonicalEntity entity(String name) {
        CanonicalEntity entity = BY_NAME.get(name);
        if (entity == null) {
            throw new IllegalArgumentException("unknown canonical entity '" + name + "'; expected one of "
                    + BY_NAME.keySet());
        }
        return entity;
    }

    /**
     * The entity whose generated class is {@code recordClass}.
     *
     * @throws IllegalArgumentException when the class is not a canonical record class
     */
    public static CanonicalEntity entity(Class<?> recordClass) {
        CanonicalEntity entity = BY_CLASS.get(recordClass);
        if (entity == null) {
            throw new IllegalArgumentException(recordClass.getName() + " is not a canonical record class; expected one of "
                    + RECORD_CLASSES.stream().map(Class::getName).toList());
        }
        return entity;
    }

    /** The entity published on {@code topic}, e.g. {@code canonical.finance.payment.v1}, if there is one. */
    public static Optional<CanonicalEntity> findByTopic(String topic) {
        return Optional.ofNullable(BY_TOPIC.get(topic));
    }

    /** The canonical topic of the entity named {@code name}, e.g. {@code canonical.finance.payment.v1}. */
    public static String topic(String name) {
        return entity(name).topic();
    }

    /** The schema of the entity named {@code name}. */
    public static Schema schema(String name) {
        return entity(name).schema();
    }

    /**
     * Every class generated from the canonical schemas: the entity records and the records and enums they contain
     * ({@code ChangeMetadata}, {@code Money}, {@code PaymentStatus}, ...).
     */
    public static Set<Class<?>> generatedClasses() {
        return GENERATED_CLASSES;
    }

    /**
     * The canonical id of an object: {@code <sourceSystem>:<sourceId>}, e.g. {@code stripe:ch_3MmlLr...}.
     *
     * @throws IllegalArgumentException when the system is not a lower-case name or the source id is empty
     */
    public static String canonicalId(String sourceSystem, String sourceId) {
        if (sourceSystem == null || !SOURCE_SYSTEM.matcher(sourceSystem).matches()) {
            throw new IllegalArgumentException("source system must match " + SOURCE_SYSTEM.pattern()
                    + " (e.g. stripe, hubspot, zendesk), got '" + sourceSystem + "'");
        }
        if (sourceId == null || sourceId.isEmpty()) {
            throw new IllegalArgumentException("source id of a " + sourceSystem + " object must not be empty");
        }
        return sourceSystem + ":" + sourceId;
    }

    /**
     * Trusts every generated canonical class in Avro's JVM-wide {@link ClassSecurityValidator}, keeping whatever was
     * trusted before. Idempotent; runs when this class loads, and again in {@link #reader} in case other code
     * replaced the global validator since.
     */
    public static synchronized void trustGeneratedClasses() {
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (GENERATED_CLASSES.stream().allMatch(current::isTrusted)) {
            return;
        }
        ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
        GENERATED_CLASSES.forEach(ours::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, ours.build()));
    }

    /** A reader for data written with the class's own schema. */
    public static <T extends SpecificRecord> SpecificDatumReader<T> reader(Class<T> recordClass) {
        Schema schema = SpecificData.getForClass(recordClass).getSchema(recordClass);
        return reader(recordClass, schema);
    }

    /**
     * A reader that resolves data written with {@code writerSchema} (e.g. the registry's schema for the record's
     * schema id) into the current generated class, applying Avro's schema resolution.
     */
    public static <T extends SpecificRecord> SpecificDatumReader<T> reader(Class<T> recordClass, Schema writerSchema) {
        trustGeneratedClasses();
        SpecificData model = SpecificData.getForClass(recordClass);
        return new SpecificDatumReader<>(writerSchema, model.getSchema(recordClass), model);
    }

    /** A writer using the class's own schema and its logical-type conversions ({@code Instant} timestamps). */
    public static <T extends SpecificRecord> SpecificDatumWriter<T> writer(Class<T> recordClass) {
        SpecificData model = SpecificData.getForClass(recordClass);
        return new SpecificDatumWriter<>(model.getSchema(recordClass), model);
    }

    private static CanonicalEntity describe(Class<? extends SpecificRecord> type) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        String namespace = schema.getNamespace();
        String prefix = NAMESPACE_ROOT + ".";
        if (namespace == null || !namespace.startsWith(prefix) || namespace.indexOf('.', prefix.length()) >= 0) {
            throw new IllegalStateException(schema.getFullName() + " must be in namespace " + prefix + "<domain>");
        }
        Object major = schema.getObjectProp(MAJOR_PROPERTY);
        if (!(major instanceof Integer)) {
            throw new IllegalStateException(schema.getFullName() + " must carry an integer \"" + MAJOR_PROPERTY
                    + "\" property, got " + major);
        }
        String domain = namespace.substring(prefix.length());
        return new CanonicalEntity(domain + "." + schema.getName(), domain, schema.getName(), type, schema,
                (Integer) major);
    }

    private static void collectGeneratedClasses(Schema root, Set<Class<?>> into) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<Schema> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Schema schema = todo.pop();
            switch (schema.getType()) {
                case RECORD -> {
                    if (seen.add(schema.getFullName())) {
                        into.add(generatedClass(schema));
                        schema.getFields().forEach(f -> todo.push(f.schema()));
                    }
                }
                case ENUM, FIXED -> {
                    if (seen.add(schema.getFullName())) {
                        into.add(generatedClass(schema));
                    }
                }
                case UNION -> schema.getTypes().forEach(todo::push);
                case ARRAY -> todo.push(schema.getElementType());
                case MAP -> todo.push(schema.getValueType());
                default -> {
                    // Primitive types need no class.
                }
            }
        }
    }

    private static Class<?> generatedClass(Schema named) {
        try {
            return Class.forName(named.getFullName(), false, CanonicalSchemas.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no class generated for " + named.getFullName()
                    + "; is the schema compiled by the syncline-schemas build?", e);
        }
    }
}
