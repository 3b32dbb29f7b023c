package io.grpo.coordinator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/** The one JSON mapper for run files: snake_case keys, pretty-printed. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Durations (failure-detector settings in config.json) as ISO-8601 text, e.g. "PT0.5S".
            .registerModule(new SimpleModule().addSerializer(java.time.Duration.class, ToStringSerializer.instance));

    private Json() {}
}
