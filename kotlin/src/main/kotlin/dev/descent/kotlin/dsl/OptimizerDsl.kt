// Optimizers built by blocks: `adamW(model) { lr = 1e-3; group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 } }`.
@file:JvmName("OptimizerDsl")

package dev.descent.kotlin.dsl

import dev.descent.autograd.Variable
import dev.descent.nn.Module
import dev.descent.optim.Adam
import dev.descent.optim.AdamW
import dev.descent.optim.Optimizer
import dev.descent.optim.Optimizers
import dev.descent.optim.ParamGroup
import dev.descent.optim.SGD

/**
 * An optimizer over [params] (by dotted name) made by [factory] from the parameter groups [block] describes
 * (see [OptimizerBuilder]); [defaults] are the optimizer's `DEFAULTS`, which name the hyperparameters it has.
 * For any optimizer with a parameter-group constructor: `optimizer("AdaBelief", model.namedParameters(),
 * AdaBelief.DEFAULTS, ::AdaBelief) { lr = 1e-3 }`.
 */
fun <O : Optimizer> optimizer(
    name: String,
    params: Map<String, Variable>,
    defaults: Map<String, Double>,
    factory: (List<ParamGroup>) -> O,
    block: OptimizerBuilder.() -> Unit = {},
): O = factory(OptimizerBuilder(name, defaults).apply(block).groups(params))

/**
 * The optimizer registered in [Optimizers] as [name] (`"Adan"`, `"LAMB"`, ...) over [model]'s parameters,
 * with groups and hyperparameters by Descent's names (the registry's defaults' keys).
 *
 * @throws IllegalArgumentException if the name is unknown (the registry lists the known ones), or the
 *     optimizer cannot be built from parameter groups (Adafactor, KOALA: build those in Java)
 */
fun optimizer(name: String, model: Module, block: OptimizerBuilder.() -> Unit = {}): Optimizer {
    val entry = Optimizers.get(name)
    val constructor = try {
        entry.type().getConstructor(List::class.java)
    } catch (e: NoSuchMethodException) {
        throw IllegalArgumentException("optimizer: ${entry.name()} has no constructor of parameter groups", e)
    }
    return optimizer(entry.name(), model.namedParameters(), entry.defaults(), { groups ->
        try {
            constructor.newInstance(groups)
        } catch (e: java.lang.reflect.InvocationTargetException) {
            throw e.cause ?: e // the optimizer's own validation error, unwrapped
        }
    }, block)
}

/** [SGD] (torch.optim.SGD) over [model]'s parameters; set `lr` (torch requires it; Descent's default is 1e-3). */
fun sgd(model: Module, block: OptimizerBuilder.() -> Unit = {}): SGD = sgd(model.namedParameters(), block)

/** [SGD] over named [params]. */
fun sgd(params: Map<String, Variable>, block: OptimizerBuilder.() -> Unit = {}): SGD =
    optimizer("SGD", params, SGD.DEFAULTS, ::SGD, block)

/** [Adam] (torch.optim.Adam) over [model]'s parameters. */
fun adam(model: Module, block: OptimizerBuilder.() -> Unit = {}): Adam = adam(model.namedParameters(), block)

/** [Adam] over named [params]. */
fun adam(params: Map<String, Variable>, block: OptimizerBuilder.() -> Unit = {}): Adam =
    optimizer("Adam", params, Adam.DEFAULTS, ::Adam, block)

/** [AdamW] (torch.optim.AdamW, weight decay 0.01 by default) over [model]'s parameters. */
fun adamW(model: Module, block: OptimizerBuilder.() -> Unit = {}): AdamW = adamW(model.namedParameters(), block)

/** [AdamW] over named [params]. */
fun adamW(params: Map<String, Variable>, block: OptimizerBuilder.() -> Unit = {}): AdamW =
    optimizer("AdamW", params, AdamW.DEFAULTS, ::AdamW, block)
