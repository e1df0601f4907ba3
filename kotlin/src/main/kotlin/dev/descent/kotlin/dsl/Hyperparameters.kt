package dev.descent.kotlin.dsl

/**
 * Hyperparameters being set in an optimizer block or one of its groups, by Descent's names (the keys of the
 * optimizer's `DEFAULTS`: `lr`, `beta1`, `weight_decay`, ...), with typed properties for the common ones.
 * Reading gives the value in force: this block's own, else the enclosing block's, else the optimizer's default.
 *
 * Setting a key the optimizer does not have fails at once, naming the keys it has. Flags (amsgrad, nesterov)
 * are numbers 0 and 1 in Descent; `this["amsgrad"] = true` sets 1.
 */
@DescentDsl
sealed class Hyperparameters(
    internal val optimizer: String,
    internal val defaults: Map<String, Double>,
) {
    internal val values = LinkedHashMap<String, Double>()

    /** The value in force above this block (the enclosing block's, or the default). */
    internal abstract fun inherited(key: String): Double?

    /** The value of [key] in force here. */
    operator fun get(key: String): Double = values[key] ?: inherited(key)
        ?: throw IllegalArgumentException("$optimizer: unknown hyperparameter '$key' (known: ${defaults.keys.sorted()})")

    /** Sets [key] to [value] for this block. */
    operator fun set(key: String, value: Double) {
        require(key in defaults) { "$optimizer: unknown hyperparameter '$key' (known: ${defaults.keys.sorted()})" }
        values[key] = value
    }

    /** Sets the flag [key] (1 for true, 0 for false). */
    operator fun set(key: String, value: Boolean) = set(key, if (value) 1.0 else 0.0)

    /** The learning rate, `lr`. */
    var lr: Double
        get() = this["lr"]
        set(value) = set("lr", value)

    /** `weight_decay`. */
    var weightDecay: Double
        get() = this["weight_decay"]
        set(value) = set("weight_decay", value)

    /** `momentum` (SGD, RMSprop, ...). */
    var momentum: Double
        get() = this["momentum"]
        set(value) = set("momentum", value)

    /** `eps`. */
    var eps: Double
        get() = this["eps"]
        set(value) = set("eps", value)

    /** `beta1` and `beta2` together, as torch's `betas`: `betas = 0.9 to 0.98`. */
    var betas: Pair<Double, Double>
        get() = this["beta1"] to this["beta2"]
        set(value) {
            set("beta1", value.first)
            set("beta2", value.second)
        }
}
