def inc(x): return x + 10
def mul(a, b): return a * b
def div(a, b): return a / b
def rem(a, b): return a % b
