package io.syncline.registry.serde;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.example.logistics.Shipment;
import com.example.logistics.types.Address;
import com.example.logistics.types.ShipmentStatus;
import io.syncline.registry.test.v1.Line;
import io.syncline.registry.test.v1.Order;

/** Fixtures shared by the serde tests and ITs: one order in each version and a shipment outside io.syncline. */
public final class TestRecords {

    private TestRecords() {
    }

    public static Order orderV1(String id) {
        return Order.newBuilder().setId(id).setAmountMinor(12_345L).setCurrency("EUR").setNote("leave at the door")
                .setLines(List.of(new Line("SKU-1", 2), new Line("SKU-2", 1))).build();
    }

    public static io.syncline.registry.test.v2.Order orderV2(String id) {
        return io.syncline.registry.test.v2.Order.newBuilder().setId(id).setAmountMinor(999L).setCurrency("USD")
                .setNote(null)
                .setLines(List.of(new io.syncline.registry.test.v2.Line("SKU-9", 3, 333L)))
                .setChannel("mobile").setPlacedAt(Instant.parse("2026-01-02T03:04:05.678Z")).build();
    }

    public static Shipment shipment(String id) {
        return Shipment.newBuilder().setId(id).setStatus(ShipmentStatus.IN_TRANSIT)
                .setWeightKg(new BigDecimal("12.345")).setShippedAt(Instant.parse("2026-03-04T05:06:07.890Z"))
                .setDueOn(LocalDate.of(2026, 3, 9)).setDestination(new Address("Lyon", "FR"))
                .setAttributes(Map.of("fragile", "yes")).build();
    }
}
