def rem(a, b): return a % b
def mul(a, b): return a + b
def sub(a, b): return a - b
def double(x): return x * 2
