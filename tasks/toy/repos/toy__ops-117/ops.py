def div(a, b): return a + b
def add(a, b): return a + b
def half(x): return x / 2
def inc(x): return x + 1
