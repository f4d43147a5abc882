package io.github.sdm.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.error.SdmException;
import org.junit.jupiter.api.Test;

class ImageSizesTest {

    @Test
    void acceptsMultiplesOf8() {
        assertEquals(512, ImageSizes.requireMultipleOf8("width", 512));
        assertEquals(8, ImageSizes.requireMultipleOf8("height", 8));
    }

    @Test
    void rejectsOthersNamingTheParameterAndTheNearestSizes() {
        SdmException e = assertThrows(SdmException.class, () -> ImageSizes.requireMultipleOf8("height", 500));
        assertEquals("height must be a multiple of 8, got 500 (nearest: 496 or 504)", e.getMessage());
        e = assertThrows(SdmException.class, () -> ImageSizes.requireMultipleOf8("width", 5));
        assertEquals("width must be a multiple of 8, got 5 (nearest: 8)", e.getMessage());
        e = assertThrows(SdmException.class, () -> ImageSizes.requireMultipleOf8("width", 0));
        assertEquals("width must be a positive multiple of 8, got 0", e.getMessage());
        assertThrows(SdmException.class, () -> ImageSizes.requireMultipleOf8("width", -16));
    }

    @Test
    void floorsToMultiplesOf8() {
        assertEquals(512, ImageSizes.floorToMultipleOf8(519));
        assertEquals(8, ImageSizes.floorToMultipleOf8(3));
    }
}
