package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.tensor.DType;
import dev.descent.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCacheTest {

    @Test
    void eachNameCompilesOnceForTheCachesArchitecture() {
        List<String> compiled = new ArrayList<>();
        KernelCache<String> cache = new KernelCache<>((src, cc) -> {
            compiled.add(src.name() + "@" + cc);
            return "fn:" + src.name();
        }, 90);
        String exp = cache.get(KernelSources.unary(UnaryOp.EXP, DType.FLOAT32));
        String again = cache.get(KernelSources.unary(UnaryOp.EXP, DType.FLOAT32));
        String exp64 = cache.get(KernelSources.unary(UnaryOp.EXP, DType.FLOAT64));
        assertSame(exp, again);
        assertEquals("fn:unary_exp_float64", exp64);
        assertEquals(List.of("unary_exp_float32@90", "unary_exp_float64@90"), compiled);
        assertEquals(2, cache.size());
    }

    @Test
    void aKeyThatDoesNotNameItsSourceIsRefused() {
        KernelCache<String> cache = new KernelCache<>((src, cc) -> src.name(), 80);
        assertThrows(IllegalArgumentException.class,
                () -> cache.get("wrong", () -> KernelSources.fill(DType.FLOAT32)));
    }

    @Test
    void architectureFlagNamesTheExactSm() {
        assertEquals("--gpu-architecture=sm_90", KernelCache.archOption(90));
        assertEquals("--gpu-architecture=sm_100", KernelCache.archOption(100));
        assertThrows(IllegalArgumentException.class, () -> KernelCache.archOption(35));
    }
}
