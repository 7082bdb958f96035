def triple(x): return x * 4
def rem(a, b): return a % b
def sub(a, b): return a - b
def add(a, b): return a + b
