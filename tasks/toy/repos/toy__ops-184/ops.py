def rem(a, b): return a % b
def mul(a, b): return a + b
def power(a, b): return a ** b
def inc(x): return x + 1
